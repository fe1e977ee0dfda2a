#pragma once
// The shape every layer parser shares: given the packet and the span its
// outer layer declared, parse one header and name the next layer, or stop.

#include <cstddef>
#include <cstdint>

#include "common/byte_reader.h"
#include "common/decode/decoded_packet.h"

namespace pktmask::decode {

enum class Layer : uint8_t {
  done,
  ethernet,
  vlan,
  mpls,
  pppoe_session,
  sll,
  sll2,
  bsd_null,
  bsd_loop,
  raw_ip,
  ipv4,
  ipv6,
  tcp,
  udp,
  gre,
  vxlan,
  geneve,
  arp,
  ah,
  esp,
  icmp,
  icmpv6,
  igmp,
  count,
};

// The bytes a layer may look at: [offset, offset + length) of the packet.
struct Span {
  size_t offset = 0;
  size_t length = 0;
};

struct Step {
  Layer next = Layer::done;
  Span span;
};

// State handed down from IP to the transport, and the layout being built.
struct Context {
  DecodedPacket& result;
  size_t captured = 0;    // the packet's captured length
  size_t packet_end = 0;  // end of the innermost IP, ARP or PPPoE packet or tunnel datagram so far
  uint8_t family = 0;
  uint32_t address_sum = 0;     // src + dst of the pseudo-header
  uint32_t pseudo_sum = 0;      // address_sum + protocol, without the transport length
  size_t segment_length = 0;    // transport header + payload as the IP header declares it
  int ip_depth = 0;             // IP-in-IP nesting, bounded against crafted loops
  bool first_fragment = false;  // IPv6: a fragment header with offset 0 and more to come was seen
  uint64_t pseudo_sites = 0;    // the address sites of the pseudo-header (AddressChecksum::pseudo_sites)
};

using Parser = Step (*)(const ByteReader& packet, Span span, Context& context);

inline Step stop(Context& context, DecodeOutcome outcome) {
  context.result.outcome = outcome;
  return {};
}
inline Step next(Layer layer, size_t offset, size_t length) { return {layer, {offset, length}}; }

// The layout (policy sections 1, 2 and 10). A parser accepts its header only
// once it has checked it, so a header it rejects is undecoded from its first byte.
inline void accept_header(Context& context, size_t end) {
  context.result.layout.header_end = end < context.captured ? end : context.captured;
}
// The current packet (IP, ARP, PPPoE, tunnel datagram) ends at `end`: what follows is trailer.
inline void bound_packet(Context& context, size_t end) {
  if (end < context.packet_end) context.packet_end = end;
}
inline Step undecoded(Context& context, DecodeOutcome outcome, UndecodedReason reason) {
  context.result.layout.undecoded = reason;
  return stop(context, outcome);
}
inline Step payload(Context& context, DecodeOutcome outcome, PayloadKind kind, size_t end) {
  context.result.layout.payload = kind;
  context.result.layout.payload_end = end;
  return stop(context, outcome);
}
// A header cut by snaplen: its captured bytes are a header.
inline Step truncated(Context& context) {
  accept_header(context, context.captured);
  return stop(context, DecodeOutcome::truncated);
}
// A header longer than its span: cut by snaplen where the span reaches the
// end of the capture, otherwise it does not fit its container.
inline Step short_header(Context& context, Span span) {
  if (span.offset + span.length >= context.captured) return truncated(context);
  return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
}

// Layers named by an EtherType / PPP protocol / IP version; undecoded with `reason` if none.
Step by_ethertype(uint16_t ethertype, Span rest, Context& context);
Step by_ip_version(const ByteReader& packet, Span span, Context& context, UndecodedReason reason);

Step parse_ethernet(const ByteReader&, Span, Context&);
Step parse_vlan(const ByteReader&, Span, Context&);
Step parse_mpls(const ByteReader&, Span, Context&);
Step parse_pppoe_session(const ByteReader&, Span, Context&);
Step parse_sll(const ByteReader&, Span, Context&);
Step parse_sll2(const ByteReader&, Span, Context&);
Step parse_bsd_null(const ByteReader&, Span, Context&);
Step parse_bsd_loop(const ByteReader&, Span, Context&);
Step parse_raw_ip(const ByteReader&, Span, Context&);
Step parse_ipv4(const ByteReader&, Span, Context&);
Step parse_ipv6(const ByteReader&, Span, Context&);
Step parse_tcp(const ByteReader&, Span, Context&);
Step parse_udp(const ByteReader&, Span, Context&);
Step parse_gre(const ByteReader&, Span, Context&);
Step parse_vxlan(const ByteReader&, Span, Context&);
Step parse_geneve(const ByteReader&, Span, Context&);
Step parse_arp(const ByteReader&, Span, Context&);
Step parse_ah(const ByteReader&, Span, Context&);
Step parse_esp(const ByteReader&, Span, Context&);
Step parse_icmp(const ByteReader&, Span, Context&);
Step parse_icmpv6(const ByteReader&, Span, Context&);
Step parse_igmp(const ByteReader&, Span, Context&);

// Records a checksum that masking the inner TCP will invalidate; false when
// too many tunnels are stacked to keep track.
bool add_outer_checksum(Context& context, const ChecksumSpan& span);

// Address sites and the checksums over them (AddressLayout). add_site
// records the address at `offset` when the capture holds all of it, notes it
// as cut when the capture ends inside it, and returns the site's bit for
// pseudo_sites (0 if not recorded) through `bit`. Both return false when the
// layout is full: the caller then ends with address_overflow at the start of
// the header it could not record.
bool add_site(Context& context, size_t offset, AddressKind kind, uint64_t* bit = nullptr);
bool add_checksum(Context& context, size_t field_offset, size_t start, size_t length, uint64_t pseudo_sites,
                  bool zero_means_absent = false);
Step address_overflow(Context& context, size_t header_start);

// What follows an IP header with this protocol number; sets the pseudo-header sum.
Step by_ip_protocol(uint8_t protocol, Span rest, Context& context);

// The payload of an IP fragment: a first fragment's transport header is a
// header, the rest of the IP payload is PayloadKind::fragment.
Step fragment_payload(const ByteReader& packet, Span rest, uint8_t protocol, bool first, Context& context);

// A checksum over the transport with the current pseudo-header (none for ICMPv4).
ChecksumSpan transport_checksum(const Context& context, size_t field_offset, size_t start, size_t length,
                                bool zero_means_absent);

}  // namespace pktmask::decode

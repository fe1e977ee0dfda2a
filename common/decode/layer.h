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

// State handed down from IP to TCP.
struct Context {
  DecodedPacket& result;
  uint8_t family = 0;
  uint32_t pseudo_sum = 0;    // src + dst + protocol, without the TCP length
  size_t segment_length = 0;  // TCP header + payload as the IP header declares it
  int ip_depth = 0;           // IP-in-IP nesting, bounded against crafted loops
};

using Parser = Step (*)(const ByteReader& packet, Span span, Context& context);

inline Step stop(Context& context, DecodeOutcome outcome) {
  context.result.outcome = outcome;
  return {};
}
inline Step next(Layer layer, size_t offset, size_t length) { return {layer, {offset, length}}; }

// Layers named by an EtherType / PPP protocol / IP version; done+not_tcp if none.
Step by_ethertype(uint16_t ethertype, Span rest, Context& context);
Step by_ip_version(const ByteReader& packet, Span span, Context& context);

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

// Records a checksum that masking the inner TCP will invalidate; false when
// too many tunnels are stacked to keep track.
bool add_outer_checksum(Context& context, const ChecksumSpan& span);

// What follows an IP header with this protocol number.
Step by_ip_protocol(uint8_t protocol, Span rest, Context& context);

}  // namespace pktmask::decode

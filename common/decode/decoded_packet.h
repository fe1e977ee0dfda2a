#pragma once
// What the decoder learns about one captured packet: whether it carries a TCP
// segment we can mask, exactly where that segment's bytes lie, and (masking
// policy v2) how far the packet's headers reach and what lies after them.

#include <cstddef>
#include <cstdint>

#include "common/flow_key.h"

namespace pktmask {

enum class DecodeOutcome : uint8_t {
  tcp,          // innermost TCP segment found
  not_tcp,      // decoded, carries no TCP (UDP, ARP, ICMP, ...)
  fragment,     // an IP fragment: left as is by policy
  truncated,    // a header is cut by the capture length
  invalid,      // a header contradicts itself
  unsupported,  // a link type or encapsulation we do not follow
};
constexpr size_t kDecodeOutcomeCount = 6;
const char* to_string(DecodeOutcome outcome);

constexpr uint8_t kTcpFin = 0x01;
constexpr uint8_t kTcpSyn = 0x02;
constexpr uint8_t kTcpRst = 0x04;

struct TcpSegment {
  FlowKey key;
  uint32_t seq = 0;
  uint8_t flags = 0;
  size_t header_offset = 0;  // TCP header, from the start of packet data
  size_t payload_offset = 0;
  uint32_t payload_length = 0;     // as the IP header declares it
  uint32_t payload_captured = 0;   // how much of it the capture holds
  uint32_t pseudo_header_sum = 0;  // folded-later sum of the checksum pseudo-header
};

// A checksum field and the bytes it covers, in packet-data offsets.
struct ChecksumSpan {
  size_t field_offset = 0;
  size_t start = 0;
  size_t length = 0;               // as declared; may exceed what is captured
  uint32_t pseudo_header_sum = 0;  // 0 for checksums without a pseudo-header (GRE)
  bool zero_means_absent = false;  // UDP: a computed 0 is sent as 0xffff
};

// Outer checksums (UDP, GRE) covering the inner TCP segment, outermost first.
constexpr size_t kMaxOuterChecksums = 4;

// Why the decoder could not place some bytes of a packet (policy section 2):
// each undecoded packet is counted under one of these.
enum class UndecodedReason : uint8_t {
  none,
  link_type,    // a link type pktmask does not decode: the whole packet
  ethertype,    // an unknown EtherType, PPP protocol or 802.3/LLC frame
  ip_protocol,  // an unknown IP protocol or IPv6 next header
  malformed,    // a header that contradicts itself or does not fit its container
  too_deep,     // tags, extension headers or tunnels nested past the decoder's bounds
  udp_excess,   // bytes between the end of the UDP length and the end of the IP payload
};
constexpr size_t kUndecodedReasonCount = 7;
const char* to_string(UndecodedReason reason);

// What the bytes after the last header are (policy sections 3-6).
enum class PayloadKind : uint8_t {
  none,      // no payload (or only undecoded bytes and trailers)
  tcp,       // a TCP segment's payload: kept as the KeepRuleSet says
  udp,       // a UDP payload: zero unless a UDP walker or keep-udp keeps it
  icmp,      // ICMP/ICMPv6 data or the rest of an error quote: zero
  fragment,  // an IP fragment's transport payload: zero
  esp,       // ESP after its SPI and sequence number: zero
};
constexpr size_t kPayloadKindCount = 6;
const char* to_string(PayloadKind kind);

// The packet's bytes in policy terms, as offsets from the start of packet
// data, header_end <= payload_end <= undecoded_end <= captured length:
//   [0, header_end)                 headers the decoder understood: kept
//   [header_end, payload_end)       the innermost payload, of kind `payload`
//   [payload_end, undecoded_end)    bytes the decoder could not place (`undecoded`)
//   [undecoded_end, captured end)   trailer: past the IP, ARP or PPPoE packet
struct PacketLayout {
  size_t header_end = 0;
  size_t payload_end = 0;
  size_t undecoded_end = 0;
  PayloadKind payload = PayloadKind::none;
  UndecodedReason undecoded = UndecodedReason::none;
};

// Address anonymization (docs/design.md, "Address anonymization"): every
// place in the packet's headers where an address lies, and every checksum
// whose value depends on one of them, so that rewriting the addresses can
// follow them with incremental checksum updates (RFC 1624). Sites and
// checksum fields all lie in the header bytes [0, PacketLayout::header_end),
// which masking keeps: none is rewritten in bytes masking zeroed.
enum class AddressKind : uint8_t { ipv4, ipv6, mac };
constexpr size_t address_size(AddressKind kind) {
  return kind == AddressKind::ipv4 ? 4 : kind == AddressKind::ipv6 ? 16 : 6;
}

// One address at [offset, offset + address_size(kind)) of the packet data,
// wholly within the captured bytes.
// (No member initializers: only the first site_count are read, and the
// decoder must not pay for clearing the arrays on every packet.)
struct AddressSite {
  uint32_t offset;
  AddressKind kind;
};

// A checksum field covering bytes [start, start + length) of the packet
// (length as declared: it may reach past the captured bytes) and, through
// its pseudo-header, the sites whose bits are set in `pseudo_sites` (bit i:
// sites[i]). Listed for every IPv4 header (also inside tunnels and quotes),
// TCP, UDP, ICMP, ICMPv6, IGMP and GRE checksum the decoder passes, whether
// it verifies or not.
struct AddressChecksum {
  uint32_t field_offset;
  uint32_t start;
  uint32_t length;
  uint64_t pseudo_sites;
  bool zero_means_absent;  // UDP: 0 means "no checksum" and stays 0
};

constexpr size_t kMaxAddressSites = 64;
constexpr size_t kMaxAddressChecksums = 16;

struct AddressLayout {
  AddressSite sites[kMaxAddressSites];
  AddressChecksum checksums[kMaxAddressChecksums];
  uint8_t site_count = 0;
  uint8_t checksum_count = 0;
  // More sites or checksums than fit: the decoder stops at the header it
  // could not record, which with what follows is undecoded (too_deep), and
  // an anonymizing masker zeroes those bytes even with undecoded=keep.
  bool overflow = false;
  // The capture ends inside an address at `cut_offset` (a header cut by
  // snaplen): it is no site, and an anonymizing masker zeroes its captured
  // bytes, as it cannot map part of an address.
  bool cut = false;
  uint32_t cut_offset = 0;
};

struct DecodedPacket {
  DecodeOutcome outcome = DecodeOutcome::unsupported;
  TcpSegment tcp;               // meaningful when outcome == tcp; its key also for a UDP payload
  uint32_t fragment_bytes = 0;  // IP payload bytes of a fragment, left unjudged
  ChecksumSpan outer[kMaxOuterChecksums];
  uint8_t outer_count = 0;
  PacketLayout layout;
  // The innermost non-TCP checksum over the payload (UDP, ICMP, ICMPv6), if
  // the packet has one that masking may invalidate.
  ChecksumSpan inner;
  bool has_inner = false;
  AddressLayout addresses;
};

}  // namespace pktmask

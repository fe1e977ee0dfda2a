#pragma once
// What the decoder learns about one captured packet: whether it carries a TCP
// segment we can mask, and exactly where that segment's bytes lie.

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

struct DecodedPacket {
  DecodeOutcome outcome = DecodeOutcome::unsupported;
  TcpSegment tcp;               // meaningful when outcome == tcp
  uint32_t fragment_bytes = 0;  // IP payload bytes of a fragment, left unjudged
  ChecksumSpan outer[kMaxOuterChecksums];
  uint8_t outer_count = 0;
};

}  // namespace pktmask

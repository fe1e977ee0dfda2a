#pragma once
// The Internet checksum (RFC 1071) and the checksums masking must keep
// valid: TCP, and the outer UDP and GRE checksums of tunnels.

#include <cstdint>
#include <span>

#include "common/decode/decoded_packet.h"

namespace pktmask {

// Ones'-complement sum of `bytes` as big-endian 16-bit words, plus `initial`, folded to 16 bits.
uint16_t ones_complement_sum(std::span<const uint8_t> bytes, uint32_t initial);

// True when the covered bytes are all captured and the checksum verifies.
bool checksum_ok(std::span<const uint8_t> packet, const ChecksumSpan& span);
// Recomputes the checksum field over fully captured bytes.
void checksum_update(std::span<uint8_t> packet, const ChecksumSpan& span);

ChecksumSpan tcp_checksum_span(const TcpSegment& segment);
inline bool tcp_checksum_ok(std::span<const uint8_t> packet, const TcpSegment& segment) {
  return checksum_ok(packet, tcp_checksum_span(segment));
}
inline void tcp_checksum_update(std::span<uint8_t> packet, const TcpSegment& segment) {
  checksum_update(packet, tcp_checksum_span(segment));
}

}  // namespace pktmask

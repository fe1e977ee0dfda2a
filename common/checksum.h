#pragma once
// The Internet checksum (RFC 1071) for TCP segments.

#include <cstdint>
#include <span>

#include "decode/decoded_packet.h"

namespace pktmask {

// Ones'-complement sum of `bytes` as big-endian 16-bit words, plus `initial`, folded to 16 bits.
uint16_t ones_complement_sum(std::span<const uint8_t> bytes, uint32_t initial);

// True when the whole segment is captured and its checksum verifies.
bool tcp_checksum_ok(std::span<const uint8_t> packet, const TcpSegment& segment);
// Recomputes the checksum field of a fully captured segment.
void tcp_checksum_update(std::span<uint8_t> packet, const TcpSegment& segment);

}  // namespace pktmask

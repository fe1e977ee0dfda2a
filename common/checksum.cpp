#include "checksum.h"

#include <cstring>

namespace pktmask {

namespace {

bool fully_captured(std::span<const uint8_t> packet, const TcpSegment& segment) {
  return segment.payload_captured == segment.payload_length &&
         segment.payload_offset + segment.payload_length <= packet.size();
}

std::span<const uint8_t> segment_bytes(std::span<const uint8_t> packet, const TcpSegment& segment) {
  return packet.subspan(segment.header_offset, segment.payload_offset + segment.payload_length - segment.header_offset);
}

}  // namespace

uint16_t ones_complement_sum(std::span<const uint8_t> bytes, uint32_t initial) {
  // Summing little-endian words and swapping the folded result equals the
  // big-endian sum (RFC 1071 byte-order independence) and lets us add 8 bytes at a time.
  uint64_t sum = 0;
  const uint8_t* p = bytes.data();
  size_t n = bytes.size();
  for (; n >= 8; p += 8, n -= 8) {
    uint64_t word;
    std::memcpy(&word, p, 8);
    sum += (word & 0xffffffff) + (word >> 32);
  }
  for (; n >= 2; p += 2, n -= 2) sum += uint32_t(p[0] | p[1] << 8);
  if (n == 1) sum += p[0];
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  uint32_t big_endian = __builtin_bswap16(static_cast<uint16_t>(sum));
  uint32_t total = big_endian + initial;
  while (total >> 16) total = (total & 0xffff) + (total >> 16);
  return static_cast<uint16_t>(total);
}

bool tcp_checksum_ok(std::span<const uint8_t> packet, const TcpSegment& segment) {
  if (!fully_captured(packet, segment)) return false;
  return ones_complement_sum(segment_bytes(packet, segment), segment.pseudo_header_sum) == 0xffff;
}

void tcp_checksum_update(std::span<uint8_t> packet, const TcpSegment& segment) {
  uint8_t* field = packet.data() + segment.header_offset + 16;
  field[0] = field[1] = 0;
  uint16_t checksum = static_cast<uint16_t>(~ones_complement_sum(segment_bytes(packet, segment), segment.pseudo_header_sum));
  field[0] = static_cast<uint8_t>(checksum >> 8);
  field[1] = static_cast<uint8_t>(checksum);
}

}  // namespace pktmask

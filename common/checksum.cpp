#include "common/checksum.h"

#include <cstring>

namespace pktmask {

namespace {

bool fully_captured(std::span<const uint8_t> packet, const ChecksumSpan& span) {
  return span.start <= packet.size() && span.length <= packet.size() - span.start &&
         span.field_offset + 2 <= span.start + span.length;
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

bool checksum_ok(std::span<const uint8_t> packet, const ChecksumSpan& span) {
  if (!fully_captured(packet, span)) return false;
  return ones_complement_sum(packet.subspan(span.start, span.length), span.pseudo_header_sum) == 0xffff;
}

void checksum_update(std::span<uint8_t> packet, const ChecksumSpan& span) {
  uint8_t* field = packet.data() + span.field_offset;
  field[0] = field[1] = 0;
  auto checksum =
      static_cast<uint16_t>(~ones_complement_sum(packet.subspan(span.start, span.length), span.pseudo_header_sum));
  if (checksum == 0 && span.zero_means_absent) checksum = 0xffff;  // UDP sends a computed 0 as all ones
  field[0] = static_cast<uint8_t>(checksum >> 8);
  field[1] = static_cast<uint8_t>(checksum);
}

ChecksumSpan tcp_checksum_span(const TcpSegment& segment) {
  return {segment.header_offset + 16, segment.header_offset,
          segment.payload_offset + segment.payload_length - segment.header_offset, segment.pseudo_header_sum, false};
}

}  // namespace pktmask

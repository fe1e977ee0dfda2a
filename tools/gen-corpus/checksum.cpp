#include "checksum.h"

#include <cstdint>
#include <stdexcept>

namespace gen_corpus {

namespace {

constexpr size_t checksum_field = 16;  // offset in the TCP header
constexpr size_t no_field = SIZE_MAX;

// Sum of big-endian 16-bit words; an odd last byte is padded with zero.
// The word at `skip` (even, or no_field) counts as zero.
uint64_t word_sum(std::span<const uint8_t> bytes, size_t skip) {
  uint64_t sum = 0;
  for (size_t i = 0; i < bytes.size(); i += 2) {
    if (i == skip) {
      continue;
    }
    const uint8_t high = bytes[i];
    const uint8_t low = i + 1 < bytes.size() ? bytes[i + 1] : 0;
    sum += static_cast<uint64_t>(high) << 8 | low;
  }
  return sum;
}

uint16_t fold(uint64_t sum) {
  while (sum >> 16) {
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(sum);
}

void require_header(std::span<const uint8_t> segment) {
  if (segment.size() < 20) {
    throw std::invalid_argument("TCP segment shorter than its header");
  }
}

}  // namespace

bool tcp_checksum_verifies(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> segment) {
  require_header(segment);
  return fold(word_sum(pseudo_header, no_field) + word_sum(segment, no_field)) == 0xffff;
}

uint16_t tcp_checksum(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> segment) {
  require_header(segment);
  return static_cast<uint16_t>(~fold(word_sum(pseudo_header, no_field) + word_sum(segment, checksum_field)));
}

bool internet_checksum_verifies(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> bytes) {
  return fold(word_sum(pseudo_header, no_field) + word_sum(bytes, no_field)) == 0xffff;
}

uint16_t internet_checksum(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> bytes,
                           size_t field_offset) {
  if (field_offset % 2 != 0 || field_offset + 2 > bytes.size()) {
    throw std::invalid_argument("checksum field outside the covered bytes");
  }
  return static_cast<uint16_t>(~fold(word_sum(pseudo_header, no_field) + word_sum(bytes, field_offset)));
}

}  // namespace gen_corpus

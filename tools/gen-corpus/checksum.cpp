#include "checksum.h"

#include <stdexcept>

namespace gen_corpus {

namespace {

constexpr size_t checksum_field = 16; // offset in the TCP header

// Sum of big-endian 16-bit words; an odd last byte is padded with zero.
uint64_t word_sum(std::span<const uint8_t> bytes, bool skip_checksum_field)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < bytes.size(); i += 2) {
        if (skip_checksum_field && i == checksum_field) {
            continue;
        }
        const uint8_t high = bytes[i];
        const uint8_t low = i + 1 < bytes.size() ? bytes[i + 1] : 0;
        sum += static_cast<uint64_t>(high) << 8 | low;
    }
    return sum;
}

uint16_t fold(uint64_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return static_cast<uint16_t>(sum);
}

void require_header(std::span<const uint8_t> segment)
{
    if (segment.size() < 20) {
        throw std::invalid_argument("TCP segment shorter than its header");
    }
}

} // namespace

bool tcp_checksum_verifies(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> segment)
{
    require_header(segment);
    return fold(word_sum(pseudo_header, false) + word_sum(segment, false)) == 0xffff;
}

uint16_t tcp_checksum(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> segment)
{
    require_header(segment);
    return static_cast<uint16_t>(~fold(word_sum(pseudo_header, false) + word_sum(segment, true)));
}

} // namespace gen_corpus

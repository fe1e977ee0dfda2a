#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace gen_corpus {

// The Internet checksum (RFC 1071) of a TCP segment, computed here rather
// than by libtins so the oracle does not share code with the builder.

// True when the segment's checksum field verifies against the pseudo-header.
bool tcp_checksum_verifies(std::span<const uint8_t> pseudo_header,
                           std::span<const uint8_t> segment);

// The value a sender puts in the checksum field: the complement of the
// folded sum with the field taken as zero. Never 0xffff, so two correct
// implementations always agree on the bytes.
uint16_t tcp_checksum(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> segment);

} // namespace gen_corpus

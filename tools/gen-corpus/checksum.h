#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace gen_corpus {

// The Internet checksum (RFC 1071) of a TCP segment, computed here rather
// than by libtins so the oracle does not share code with the builder.

// True when the segment's checksum field verifies against the pseudo-header.
bool tcp_checksum_verifies(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> segment);

// The value a sender puts in the checksum field: the complement of the
// folded sum with the field taken as zero. Never 0xffff, so two correct
// implementations always agree on the bytes.
uint16_t tcp_checksum(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> segment);

// The same for any checksum of this kind (outer UDP, GRE): `bytes` are the
// covered bytes, the 16-bit field at the even offset `field_offset` in them
// is taken as zero. The pseudo-header may be empty (GRE).
bool internet_checksum_verifies(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> bytes);
uint16_t internet_checksum(std::span<const uint8_t> pseudo_header, std::span<const uint8_t> bytes, size_t field_offset);

}  // namespace gen_corpus

#pragma once
// The DTLS record walk of masking policy v2 (sections 4 and 10): one datagram
// at a time, record by record, never resynchronising.

#include <cstdint>
#include <span>
#include <vector>

#include "common/byte_range.h"
#include "common/policy.h"

namespace pktmask {

// A datagram the DTLS walk applies to: first byte 20..25, second byte 0xfe.
bool starts_like_dtls(std::span<const uint8_t> datagram);

// Appends what the policy keeps of a DTLS datagram: each walked 13-byte
// record header, and the bodies of epoch-0 records of types 20, 21, 22 and 24
// as the `tls` and `handshake` settings allow. The walk ends at the first
// implausible header (type 20..25, version 0xfe.., length at most 18432 and
// within the datagram) or a DTLS 1.3 unified header; the rest is zero.
void dtls_kept(const PolicySettings& settings, std::span<const uint8_t> datagram, std::vector<ByteRange>& ranges);

}  // namespace pktmask

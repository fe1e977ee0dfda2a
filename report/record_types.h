#pragma once
// What TLS and DTLS record headers share: the content types (RFC 8446
// section 5.1, RFC 6520) and the longest length a record may declare.

#include <cstdint>

namespace pktmask::report {

inline constexpr uint8_t kChangeCipherSpec = 20;
inline constexpr uint8_t kHandshake = 22;
inline constexpr uint8_t kApplicationData = 23;
inline constexpr uint8_t kHeartbeat = 24;
// TLSCiphertext.length is at most 2^14 + 2048 (RFC 5246 section 6.2.3).
inline constexpr uint16_t kMaxRecordLength = (1 << 14) + 2048;

}  // namespace pktmask::report

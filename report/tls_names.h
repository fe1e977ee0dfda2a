#pragma once
// The names of TLS protocol versions and cipher suites, as the IANA TLS
// registry (RFC 8446, RFC 5246 and their successors) gives them.

#include <cstdint>
#include <string>

namespace pktmask::report {

// The IANA name of a TLS cipher suite, "GREASE 0x0a0a" for a GREASE value
// (RFC 8701), or "0x%04x" where unknown.
std::string cipher_suite_name(uint16_t suite);
// "TLS 1.2", "TLS 1.3", "DTLS 1.2", "SSL 3.0", ... or "0x%04x".
std::string version_name(uint16_t version);
// "QUIC v1", "QUIC v2" or "QUIC 0x%08x" (a draft or an unknown version).
std::string quic_version_name(uint32_t version);

// GREASE values (RFC 8701): 0x0a0a, 0x1a1a, ..., 0xfafa, in versions and suites alike.
constexpr bool is_grease(uint16_t value) { return (value & 0x0f0f) == 0x0a0a && value >> 8 == (value & 0xff); }

}  // namespace pktmask::report

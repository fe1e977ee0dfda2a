#pragma once
// IPv6 extension headers (RFC 8200): which next-header values are followed
// as extension headers and how long each is. Shared by the IPv6 parser and
// the walk of an IPv6 packet quoted by ICMPv6.

#include <cstddef>
#include <cstdint>

namespace pktmask::decode {

enum : uint8_t {
  kHopByHop = 0,
  kRouting = 43,
  kFragment = 44,
  kAuthentication = 51,
  kNoNextHeader = 59,
  kDestinationOptions = 60,
  kExperiment1 = 253,  // RFC 3692 experiments use the extension header format (RFC 4727)
  kExperiment2 = 254,
};

// Longer chains are not decoded (policy section 10).
constexpr int kMaxIpv6Extensions = 32;

inline bool is_ipv6_extension(uint8_t next_header) {
  return next_header == kHopByHop || next_header == kRouting || next_header == kFragment ||
         next_header == kAuthentication || next_header == kDestinationOptions || next_header == kExperiment1 ||
         next_header == kExperiment2;
}

// From the header's second byte; every extension header is at least 8 bytes.
inline size_t ipv6_extension_length(uint8_t next_header, uint8_t length_field) {
  if (next_header == kFragment) return 8;
  if (next_header == kAuthentication) return (size_t{length_field} + 2) * 4;
  return (size_t{length_field} + 1) * 8;
}

// A fragment header's offset and more-fragments flag, from its bytes 2-3.
inline bool is_real_fragment(uint16_t offset_flags) { return (offset_flags & 0xfff9) != 0; }
inline bool is_first_fragment(uint16_t offset_flags) { return (offset_flags & 0xfff8) == 0; }

}  // namespace pktmask::decode

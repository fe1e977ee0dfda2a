#pragma once
// The addresses of IP routing (IPv4 record-route, source-route and timestamp
// options, IPv6 routing headers) as address sites, for the IP parsers and the
// walk of a quoted packet alike. A source route still in flight names the
// final destination, which takes the header destination's place in the
// pseudo-header of what follows (RFC 1122 3.3.5, RFC 8200 8.1).

#include <cstddef>
#include <cstdint>

#include "common/decode/layer.h"

namespace pktmask::decode {

// The pseudo-header's addresses: their site bits (0 for one not recorded)
// and where the final destination lies.
struct PseudoHeaderSites {
  uint64_t source = 0;
  uint64_t destination = 0;
  size_t final_destination = 0;
  uint64_t bits() const { return source | destination; }
};

// Source and destination of the IPv4 header at `at` (IPv6: `family` 6).
bool add_ip_addresses(Context& context, size_t at, uint8_t family, PseudoHeaderSites& pseudo);

// The options [options, end) of an IPv4 header. False when the layout is full.
bool add_ipv4_option_sites(const ByteReader& packet, Context& context, size_t options, size_t end,
                           PseudoHeaderSites& pseudo);

// The IPv6 routing header of `length` bytes at `at`. False when the layout is full.
bool add_routing_sites(const ByteReader& packet, Context& context, size_t at, size_t length, PseudoHeaderSites& pseudo);

}  // namespace pktmask::decode

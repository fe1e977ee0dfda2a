#pragma once
// Addresses as people write them: dotted IPv4, RFC 5952 IPv6, and MACs as six
// hex pairs joined by ':' or '-' (printed lower case with ':').

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/decode/decoded_packet.h"

namespace pktmask {

struct ParsedAddress {
  AddressKind kind;
  std::array<uint8_t, 16> bytes{};  // the first address_size(kind)
};

std::optional<ParsedAddress> parse_address(std::string_view text);
std::string address_to_string(AddressKind kind, const uint8_t* address);
// "ipv4", "ipv6", "mac".
const char* kind_name(AddressKind kind);

}  // namespace pktmask

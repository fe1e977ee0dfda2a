#include "common/anon/address_text.h"

#include <arpa/inet.h>

#include <charconv>

#include <fmt/format.h>

namespace pktmask {

namespace {

std::optional<ParsedAddress> parse_mac(std::string_view text) {
  if (text.size() != 17) return std::nullopt;
  char separator = text[2];
  if (separator != ':' && separator != '-') return std::nullopt;
  ParsedAddress parsed{AddressKind::mac};
  for (size_t i = 0; i < 6; ++i) {
    if (i > 0 && text[i * 3 - 1] != separator) return std::nullopt;
    const char* first = text.data() + i * 3;
    auto [end, error] = std::from_chars(first, first + 2, parsed.bytes[i], 16);
    if (error != std::errc() || end != first + 2) return std::nullopt;
  }
  return parsed;
}

}  // namespace

std::optional<ParsedAddress> parse_address(std::string_view text) {
  std::string terminated(text);
  ParsedAddress parsed{AddressKind::ipv4};
  if (::inet_pton(AF_INET, terminated.c_str(), parsed.bytes.data()) == 1) return parsed;
  parsed.kind = AddressKind::ipv6;
  if (::inet_pton(AF_INET6, terminated.c_str(), parsed.bytes.data()) == 1) return parsed;
  return parse_mac(text);
}

std::string address_to_string(AddressKind kind, const uint8_t* address) {
  if (kind == AddressKind::mac)
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", address[0], address[1], address[2], address[3],
                       address[4], address[5]);
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(kind == AddressKind::ipv4 ? AF_INET : AF_INET6, address, text, sizeof text);
  return text;
}

const char* kind_name(AddressKind kind) {
  switch (kind) {
    case AddressKind::ipv4:
      return "ipv4";
    case AddressKind::ipv6:
      return "ipv6";
    case AddressKind::mac:
      return "mac";
  }
  return "?";
}

}  // namespace pktmask

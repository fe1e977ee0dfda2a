#include "common/anon/anon_settings.h"

#include <arpa/inet.h>

#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>

namespace pktmask {

bool IpPrefix::contains(uint8_t address_family, const uint8_t* address) const {
  if (address_family != family) return false;
  int full_bytes = length / 8;
  for (int i = 0; i < full_bytes; ++i)
    if (address[i] != bytes[i]) return false;
  int rest = length % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (address[full_bytes] & mask) == bytes[full_bytes];
}

std::optional<IpPrefix> parse_prefix(std::string_view text) {
  IpPrefix prefix;
  std::string address(text.substr(0, text.find('/')));
  if (::inet_pton(AF_INET, address.c_str(), prefix.bytes.data()) == 1)
    prefix.family = 4;
  else if (::inet_pton(AF_INET6, address.c_str(), prefix.bytes.data()) == 1)
    prefix.family = 6;
  else
    return std::nullopt;
  int max_length = prefix.family == 4 ? 32 : 128;
  int length = max_length;
  if (address.size() < text.size()) {
    std::string_view digits = text.substr(address.size() + 1);
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
    if (digits.empty() || error != std::errc() || end != digits.data() + digits.size() || length < 0 ||
        length > max_length)
      return std::nullopt;
  }
  prefix.length = static_cast<uint8_t>(length);
  for (int bit = length; bit < max_length; ++bit)
    if ((prefix.bytes[bit / 8] >> (7 - bit % 8)) & 1) return std::nullopt;
  return prefix;
}

std::string to_string(const IpPrefix& prefix) {
  char text[INET6_ADDRSTRLEN] = {};
  ::inet_ntop(prefix.family == 4 ? AF_INET : AF_INET6, prefix.bytes.data(), text, sizeof text);
  return fmt::format("{}/{}", text, prefix.length);
}

std::string canonical_string(const AnonSettings& settings) {
  if (!settings.any()) return "anonymize=none";
  std::vector<std::string> kinds;
  if (settings.ip) kinds.push_back("ip");
  if (settings.mac) kinds.push_back("mac");
  std::vector<std::string> preserved;
  if (settings.preserve_special) preserved.push_back("special");
  if (settings.preserve_class) preserved.push_back("class");
  if (settings.keep_oui) preserved.push_back("oui");
  if (preserved.empty()) preserved.push_back("none");
  std::string line = fmt::format("anonymize={} preserve={}", fmt::join(kinds, ","), fmt::join(preserved, ","));
  if (!settings.keep.empty()) {
    std::vector<std::string> kept;
    for (const auto& prefix : settings.keep) kept.push_back(to_string(prefix));
    line += fmt::format(" keep={}", fmt::join(kept, ","));
  }
  return line;
}

}  // namespace pktmask

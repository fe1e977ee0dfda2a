#pragma once
// How a name read from untrusted bytes (SNI, ALPN, certificate names) is
// shown: printable ASCII as is, every other byte as \xNN, so no byte of it
// can reach a terminal, a page or a script as anything but text; and a name
// whose bytes are all zero, as the policy leaves a name it removed, as
// "(zeroed)".

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace pktmask::report {

inline constexpr std::string_view kZeroedName = "(zeroed)";

bool all_zero(std::span<const uint8_t> bytes);
std::string shown_text(std::span<const uint8_t> bytes);

}  // namespace pktmask::report

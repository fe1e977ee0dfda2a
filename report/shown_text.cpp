#include "report/shown_text.h"

#include <algorithm>

#include <fmt/format.h>

namespace pktmask::report {

bool all_zero(std::span<const uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t byte) { return byte == 0; });
}

std::string shown_text(std::span<const uint8_t> bytes) {
  if (!bytes.empty() && all_zero(bytes)) return std::string(kZeroedName);
  std::string text;
  text.reserve(bytes.size());
  for (const uint8_t byte : bytes) {
    if (byte >= 0x20 && byte < 0x7f) {
      text += static_cast<char>(byte);
    } else {
      text += fmt::format("\\x{:02x}", byte);
    }
  }
  return text;
}

}  // namespace pktmask::report

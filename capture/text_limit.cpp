#include "capture/text_limit.h"

namespace pktmask {

namespace {

constexpr std::string_view kEllipsis = "\xe2\x80\xa6";

bool continues_character(char byte) { return (static_cast<unsigned char>(byte) & 0xc0) == 0x80; }

}  // namespace

std::string limit_utf8(std::string_view text, size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t cut = max_bytes < kEllipsis.size() ? 0 : max_bytes - kEllipsis.size();
  while (cut > 0 && continues_character(text[cut])) --cut;
  return std::string(text.substr(0, cut)) + std::string(kEllipsis);
}

}  // namespace pktmask

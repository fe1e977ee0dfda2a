#include "masker/packet_annotation.h"

#include <fmt/format.h>

namespace pktmask {

std::string packet_annotation(const PacketZeroed& zeroed) {
  if (!zeroed.any()) return {};
  std::string text = "pktmask: zeroed";
  const char* separator = " ";
  auto add = [&](uint64_t count, const char* name) {
    if (count == 0) return;
    text += fmt::format("{}{} {}", separator, count, name);
    separator = ", ";
  };
  add(zeroed.tcp, "tcp");
  for (size_t i = 0; i < kByteClassCount; ++i) add(zeroed.bytes[i], to_string(static_cast<ByteClass>(i)));
  return text + " bytes";
}

}  // namespace pktmask

#pragma once
// One direction of a TCP connection: (src addr, src port, dst addr, dst port).

#include <array>
#include <cstdint>
#include <cstring>
#include <string>

namespace pktmask {

struct FlowKey {
  std::array<uint8_t, 16> src{};  // IPv4 uses the first 4 bytes
  std::array<uint8_t, 16> dst{};
  uint16_t sport = 0;
  uint16_t dport = 0;
  uint8_t family = 0;  // 4 or 6
  bool operator==(const FlowKey&) const = default;
};

struct FlowKeyHash {
  size_t operator()(const FlowKey& key) const {
    uint64_t words[4];
    std::memcpy(words, key.src.data(), 16);
    std::memcpy(words + 2, key.dst.data(), 16);
    uint64_t h = (uint64_t{key.sport} << 24 | uint64_t{key.dport} << 8 | key.family) * 0x9e3779b97f4a7c15ULL;
    for (uint64_t w : words) h = (h ^ w) * 0x9e3779b97f4a7c15ULL + (h >> 29);
    return static_cast<size_t>(h ^ (h >> 32));
  }
};

std::string address_to_string(uint8_t family, const std::array<uint8_t, 16>& address);
// Parses a textual IPv4 or IPv6 address; returns false if it is neither.
bool address_from_string(const std::string& text, uint8_t& family, std::array<uint8_t, 16>& address);

}  // namespace pktmask

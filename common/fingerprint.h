#pragma once
// Identifies the capture a KeepRuleSet was made from: its size and a hash of
// its first MiB. Cheap to check up front; catches the wrong file, not tampering.

#include <cstdint>
#include <span>
#include <string>

namespace pktmask {

struct Fingerprint {
  uint64_t size = 0;
  uint64_t head_hash = 0;
  bool operator==(const Fingerprint&) const = default;
};

constexpr uint64_t kFnvOffset = 0xcbf29ce484222325ULL;
uint64_t fnv1a(uint64_t hash, std::span<const uint8_t> bytes);

std::string to_string(const Fingerprint& fingerprint);

}  // namespace pktmask

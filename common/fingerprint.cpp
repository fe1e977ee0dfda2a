#include "common/fingerprint.h"

#include <fmt/format.h>

namespace pktmask {

uint64_t fnv1a(uint64_t hash, std::span<const uint8_t> bytes) {
  for (uint8_t byte : bytes) {
    hash ^= byte;
    hash *= 0x100000001b3ULL;
  }
  return hash;
}

std::string to_string(const Fingerprint& fingerprint) {
  return fmt::format("size={} head-fnv1a64={:016x}", fingerprint.size, fingerprint.head_hash);
}

}  // namespace pktmask

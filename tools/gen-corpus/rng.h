#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace gen_corpus {

// SplitMix64: tiny, fast and fully specified, so every run and every
// platform produces the same corpus bytes. Not for cryptography.
class rng {
 public:
  explicit rng(uint64_t seed) : state_(seed) {}

  // A generator seeded from a case name (FNV-1a), so adding a case does
  // not change the bytes of the others.
  static rng for_name(std::string_view name);

  uint64_t next();
  uint32_t below(uint32_t bound) { return static_cast<uint32_t>(next() % bound); }
  // Never zero: masked bytes are zero, so kept bytes must stand out.
  uint8_t nonzero_byte() { return static_cast<uint8_t>(1 + below(255)); }
  std::vector<uint8_t> nonzero_bytes(size_t count);

 private:
  uint64_t state_;
};

}  // namespace gen_corpus

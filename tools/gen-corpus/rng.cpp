#include "rng.h"

namespace gen_corpus {

rng rng::for_name(std::string_view name) {
  uint64_t hash = 0xcbf29ce484222325ULL;
  for (const char c : name) {
    hash = (hash ^ static_cast<uint8_t>(c)) * 0x100000001b3ULL;
  }
  return rng(hash);
}

uint64_t rng::next() {
  state_ += 0x9e3779b97f4a7c15ULL;
  uint64_t z = state_;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

std::vector<uint8_t> rng::nonzero_bytes(size_t count) {
  std::vector<uint8_t> out(count);
  for (auto& b : out) {
    b = nonzero_byte();
  }
  return out;
}

}  // namespace gen_corpus

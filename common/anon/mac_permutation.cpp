#include "common/anon/mac_permutation.h"

#include <algorithm>
#include <utility>

#include "common/anon/keyed_hash.h"

namespace pktmask {

namespace {

// Enough rounds that every output bit depends on every input bit several
// times over (Luby-Rackoff needs 4 for a strong pseudorandom permutation).
constexpr int kRounds = 10;
constexpr uint64_t kKeptBits = 0x030000000000;  // I/G and U/L of the first byte

uint64_t to_number(const uint8_t* mac) {
  uint64_t value = 0;
  for (int i = 0; i < 6; ++i) value = value << 8 | mac[i];
  return value;
}

void from_number(uint64_t value, uint8_t* mac) {
  for (int i = 5; i >= 0; --i) {
    mac[i] = static_cast<uint8_t>(value);
    value >>= 8;
  }
}

// The bits the network permutes, packed into the low `2 * half_bits` bits,
// and back: without the OUI, the first byte's top six bits sit above the
// other five bytes.
uint64_t pack(uint64_t mac, int half_bits) {
  if (half_bits == 12) return mac & 0xffffff;
  return (mac >> 42) << 40 | (mac & 0xffffffffff);
}

uint64_t unpack(uint64_t packed, uint64_t original, int half_bits) {
  if (half_bits == 12) return (original & ~uint64_t{0xffffff}) | packed;
  return (packed >> 40) << 42 | (original & kKeptBits) | (packed & 0xffffffffff);
}

AnonKey derived_key(const AnonKey& key) {
  AnonKey derived;
  auto digest = keyed_hash(key, "pktmask mac");
  std::copy_n(digest.begin(), 16, derived.bytes.begin());
  return derived;
}

}  // namespace

MacPermutation::MacPermutation(const AnonKey& key, bool keep_oui)
    : aes_(derived_key(key).bytes.data()), half_bits_(keep_oui ? 12 : 23) {}

uint32_t MacPermutation::round_function(int round, uint32_t half) const {
  AesBlock block{};
  block[0] = static_cast<uint8_t>(round);
  block[1] = static_cast<uint8_t>(half_bits_);
  for (int i = 0; i < 4; ++i) block[2 + i] = static_cast<uint8_t>(half >> (24 - 8 * i));
  AesBlock out = aes_.encrypt(block);
  uint32_t value = uint32_t{out[0]} << 24 | uint32_t{out[1]} << 16 | uint32_t{out[2]} << 8 | out[3];
  return value & ((uint32_t{1} << half_bits_) - 1);
}

void MacPermutation::transform(const uint8_t* mac, uint8_t* out, bool inverse) const {
  uint64_t original = to_number(mac);
  uint64_t packed = pack(original, half_bits_);
  auto left = static_cast<uint32_t>(packed >> half_bits_);
  auto right = static_cast<uint32_t>(packed & ((uint64_t{1} << half_bits_) - 1));
  for (int step = 0; step < kRounds; ++step) {
    if (inverse) {
      std::swap(left, right);
      left ^= round_function(kRounds - 1 - step, right);
    } else {
      left ^= round_function(step, right);
      std::swap(left, right);
    }
  }
  from_number(unpack(uint64_t{left} << half_bits_ | right, original, half_bits_), out);
}

void MacPermutation::permute(const uint8_t* mac, uint8_t* out) const { transform(mac, out, false); }

void MacPermutation::invert(const uint8_t* mac, uint8_t* out) const { transform(mac, out, true); }

}  // namespace pktmask

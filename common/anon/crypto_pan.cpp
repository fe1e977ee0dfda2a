#include "common/anon/crypto_pan.h"

#include <algorithm>

namespace pktmask {

namespace {

bool bit_at(const uint8_t* bytes, int i) { return (bytes[i / 8] >> (7 - i % 8)) & 1; }

void set_bit(uint8_t* bytes, int i, bool value) {
  auto mask = static_cast<uint8_t>(0x80 >> (i % 8));
  bytes[i / 8] = static_cast<uint8_t>(value ? bytes[i / 8] | mask : bytes[i / 8] & ~mask);
}

// Both directions walk the bits in order; the block's prefix must always be
// the original's, which the forward direction reads and the inverse recovers.
void walk_bits(const Aes128& aes, const AesBlock& pad, const uint8_t* in, uint8_t* out, int bits, bool inverse) {
  AesBlock block = pad;
  uint8_t result[16] = {};
  for (int i = 0; i < bits; ++i) {
    bool flip = aes.encrypt(block)[0] & 0x80;
    bool result_bit = bit_at(in, i) != flip;
    set_bit(result, i, result_bit);
    set_bit(block.data(), i, inverse ? result_bit : bit_at(in, i));
  }
  std::copy_n(result, bits / 8, out);
}

}  // namespace

CryptoPan::CryptoPan(const AnonKey& key) : aes_(key.bytes.data()) {
  AesBlock pad_input{};
  std::copy_n(key.bytes.begin() + 16, 16, pad_input.begin());
  pad_ = aes_.encrypt(pad_input);
}

void CryptoPan::anonymize(const uint8_t* address, uint8_t* out, int bits) const {
  walk_bits(aes_, pad_, address, out, bits, false);
}

void CryptoPan::deanonymize(const uint8_t* address, uint8_t* out, int bits) const {
  walk_bits(aes_, pad_, address, out, bits, true);
}

}  // namespace pktmask

#pragma once
// Crypto-PAn (Xu, Fan, Ammar, Moon): a keyed, one-to-one, prefix-preserving
// permutation of IP addresses. Output bit i is input bit i flipped by the top
// bit of AES_K(the input's first i bits, then the pad's bits from i on), the
// pad being AES_K(the key's last 16 bytes). IPv4 mixes its 32 bits into the
// top of the 128-bit block as the original distribution does, so its
// reference vectors apply; IPv6 uses the same construction over 128 bits.

#include <cstdint>

#include "common/anon/aes_block.h"
#include "common/anon/anon_key.h"

namespace pktmask {

class CryptoPan {
 public:
  explicit CryptoPan(const AnonKey& key);

  // `bits` is 32 (4 bytes) or 128 (16 bytes), most significant bit first.
  // `out` may be `address`.
  void anonymize(const uint8_t* address, uint8_t* out, int bits) const;
  void deanonymize(const uint8_t* address, uint8_t* out, int bits) const;

 private:
  Aes128 aes_;
  AesBlock pad_{};
};

}  // namespace pktmask

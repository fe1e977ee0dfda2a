#pragma once
// A keyed permutation of MAC addresses that keeps the first byte's
// individual/group (0x01) and universal/local (0x02) bits: a balanced Feistel
// network over the other 46 bits (two halves of 23), or with keep_oui over the
// last 24 bits only (two of 12), so the vendor's OUI stays. Its round function
// is AES under HMAC-SHA256(key, "pktmask mac"), so it shares nothing with
// Crypto-PAn's key.

#include <cstdint>

#include "common/anon/aes_block.h"
#include "common/anon/anon_key.h"

namespace pktmask {

class MacPermutation {
 public:
  MacPermutation(const AnonKey& key, bool keep_oui);

  // 6 bytes in, 6 bytes out; `out` may be `mac`.
  void permute(const uint8_t* mac, uint8_t* out) const;
  void invert(const uint8_t* mac, uint8_t* out) const;

 private:
  uint32_t round_function(int round, uint32_t half) const;
  void transform(const uint8_t* mac, uint8_t* out, bool inverse) const;

  Aes128 aes_;
  int half_bits_;
};

}  // namespace pktmask

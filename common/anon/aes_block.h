#pragma once
// One AES-128 key ready to encrypt single blocks (ECB, no padding) through
// libcrypto: what Crypto-PAn and the MAC permutation are built on. The
// context is made once, so each block costs one call.

#include <array>
#include <cstdint>
#include <memory>

namespace pktmask {

using AesBlock = std::array<uint8_t, 16>;

class Aes128 {
 public:
  explicit Aes128(const uint8_t* key);  // 16 bytes
  ~Aes128();
  Aes128(Aes128&&) noexcept;
  Aes128& operator=(Aes128&&) noexcept;

  AesBlock encrypt(const AesBlock& block) const;

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace pktmask

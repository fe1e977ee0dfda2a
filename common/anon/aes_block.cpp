#include "common/anon/aes_block.h"

#include <openssl/evp.h>

#include "common/errors.h"

namespace pktmask {

struct Aes128::Context {
  EVP_CIPHER_CTX* ctx = nullptr;
  ~Context() { EVP_CIPHER_CTX_free(ctx); }
};

Aes128::Aes128(const uint8_t* key) : context_(std::make_unique<Context>()) {
  context_->ctx = EVP_CIPHER_CTX_new();
  if (context_->ctx == nullptr || EVP_EncryptInit_ex(context_->ctx, EVP_aes_128_ecb(), nullptr, key, nullptr) != 1 ||
      EVP_CIPHER_CTX_set_padding(context_->ctx, 0) != 1)
    throw Error(ExitCode::internal, "libcrypto cannot set up AES-128");
}

Aes128::~Aes128() = default;
Aes128::Aes128(Aes128&&) noexcept = default;
Aes128& Aes128::operator=(Aes128&&) noexcept = default;

AesBlock Aes128::encrypt(const AesBlock& block) const {
  AesBlock out{};
  int written = 0;
  if (EVP_EncryptUpdate(context_->ctx, out.data(), &written, block.data(), static_cast<int>(block.size())) != 1 ||
      written != static_cast<int>(out.size()))
    throw Error(ExitCode::internal, "libcrypto failed to encrypt an AES block");
  return out;
}

}  // namespace pktmask

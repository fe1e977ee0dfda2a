#include "common/anon/keyed_hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "common/errors.h"

namespace pktmask {

std::array<uint8_t, 32> keyed_hash(const AnonKey& key, std::string_view label) {
  std::array<uint8_t, 32> digest{};
  unsigned int length = 0;
  if (HMAC(EVP_sha256(), key.bytes.data(), static_cast<int>(key.bytes.size()),
           reinterpret_cast<const unsigned char*>(label.data()), label.size(), digest.data(), &length) == nullptr ||
      length != digest.size())
    throw Error(ExitCode::internal, "libcrypto failed to compute HMAC-SHA256");
  return digest;
}

}  // namespace pktmask

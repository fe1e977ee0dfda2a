#include "capture/file_digest.h"

#include <fcntl.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask {

namespace {

constexpr size_t kReadBytes = 1 << 20;

class Sha256 {
 public:
  Sha256() : context_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
    if (!context_ || EVP_DigestInit_ex(context_.get(), EVP_sha256(), nullptr) != 1)
      throw std::runtime_error("libcrypto: cannot start a SHA-256 digest");
  }

  void update(const void* bytes, size_t size) {
    if (EVP_DigestUpdate(context_.get(), bytes, size) != 1) throw std::runtime_error("libcrypto: SHA-256 failed");
  }

  std::string hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
    unsigned int size = 0;
    if (EVP_DigestFinal_ex(context_.get(), digest.data(), &size) != 1)
      throw std::runtime_error("libcrypto: SHA-256 failed");
    std::string text;
    for (unsigned int i = 0; i < size; ++i) text += fmt::format("{:02x}", digest[i]);
    return text;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> context_;
};

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  Sha256 digest;
  digest.update(bytes.data(), bytes.size());
  return digest.hex();
}

std::string file_sha256(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  int error = fd < 0 ? errno : 0;
  Sha256 digest;
  std::vector<char> buffer(kReadBytes);
  while (error == 0) {
    ssize_t n = ::read(fd, buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) error = errno;
    if (n <= 0) break;
    digest.update(buffer.data(), static_cast<size_t>(n));
  }
  if (fd >= 0) ::close(fd);
  if (error != 0)
    throw Error(ExitCode::run_disk_full, fmt::format("{}: cannot read for its digest: {}", path, std::strerror(error)));
  return digest.hex();
}

}  // namespace pktmask

#pragma once
// SHA-256 digests (OpenSSL libcrypto) for the events: of a sanitized file,
// so an integrator can check what it picked up, and of the configuration.

#include <string>
#include <string_view>

namespace pktmask {

// 64 lower-case hex digits.
std::string sha256_hex(std::string_view bytes);
// Reads the file once. Throws Error(run_disk_full) naming it when it cannot be read.
std::string file_sha256(const std::string& path);

}  // namespace pktmask

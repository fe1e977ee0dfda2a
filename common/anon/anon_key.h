#pragma once
// The anonymization key: 32 secret bytes in a file of its own. The first 16
// are Crypto-PAn's AES-128 key, the last 16 its padding block, as in the
// original Crypto-PAn distribution; the MAC permutation uses a key derived
// from all 32. The same file gives the same mapping everywhere.

#include <array>
#include <cstdint>
#include <string>

namespace pktmask {

struct AnonKey {
  std::array<uint8_t, 32> bytes{};
};

// Reads the key at `path`, first creating it if it does not exist: 32 bytes
// from the system's random source, mode 0600, linked into place whole so
// that processes starting together all read the same key. Throws
// Error(bad_key) naming the file when it is not a regular file, is not
// exactly 32 bytes, or may be read by its group or by others.
AnonKey load_or_create_key(const std::string& path);
// The same, but a missing file is an error (verify, anon).
AnonKey load_key(const std::string& path);

// 16 hex digits naming the key without revealing it (a keyed hash of a
// fixed string): recorded in outputs so a key owner can tell which key made them.
std::string key_id(const AnonKey& key);

}  // namespace pktmask

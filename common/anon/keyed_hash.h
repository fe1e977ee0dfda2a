#pragma once
// HMAC-SHA256 of a fixed label under the anonymization key: how the key's
// public name and the MAC permutation's own AES key are derived from the 32
// secret bytes without revealing them or reusing Crypto-PAn's key.

#include <array>
#include <cstdint>
#include <string_view>

#include "common/anon/anon_key.h"

namespace pktmask {

std::array<uint8_t, 32> keyed_hash(const AnonKey& key, std::string_view label);

}  // namespace pktmask

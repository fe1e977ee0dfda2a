#include <array>
#include <random>
#include <set>

#include <catch2/catch.hpp>

#include "common/anon/mac_permutation.h"

using namespace pktmask;

namespace {

using Mac = std::array<uint8_t, 6>;

AnonKey test_key() {
  AnonKey key;
  for (size_t i = 0; i < key.bytes.size(); ++i) key.bytes[i] = static_cast<uint8_t>(7 * i + 1);
  return key;
}

Mac random_mac(std::mt19937_64& random) {
  Mac mac{};
  for (auto& byte : mac) byte = static_cast<uint8_t>(random());
  return mac;
}

}  // namespace

TEST_CASE("the MAC permutation keeps the I/G and U/L bits and is undone by its inverse") {
  std::mt19937_64 random(56);
  for (bool keep_oui : {false, true}) {
    MacPermutation permutation(test_key(), keep_oui);
    int changed = 0;
    for (int i = 0; i < 2000; ++i) {
      Mac mac = random_mac(random);
      Mac permuted{}, recovered{};
      permutation.permute(mac.data(), permuted.data());
      CHECK((permuted[0] & 0x03) == (mac[0] & 0x03));
      if (keep_oui) CHECK(std::equal(mac.begin(), mac.begin() + 3, permuted.begin()));
      changed += permuted != mac;
      permutation.invert(permuted.data(), recovered.data());
      CHECK(recovered == mac);
    }
    CHECK(changed > 1990);
  }
}

TEST_CASE("the MAC permutation is one-to-one on a sample and changes the first byte's other bits") {
  MacPermutation permutation(test_key(), false);
  std::set<Mac> images;
  std::set<uint8_t> first_bytes;
  // Addresses that differ only in their last 16 bits: the sample must not collide.
  for (unsigned low = 0; low < 65536; low += 3) {
    Mac mac = {0x00, 0x1b, 0x21, 0x00, static_cast<uint8_t>(low >> 8), static_cast<uint8_t>(low)};
    Mac permuted{};
    permutation.permute(mac.data(), permuted.data());
    images.insert(permuted);
    first_bytes.insert(permuted[0]);
  }
  CHECK(images.size() == (65536 + 2) / 3);
  CHECK(first_bytes.size() > 32);  // the OUI's top six bits are permuted too
}

TEST_CASE("a different key gives a different MAC permutation") {
  AnonKey other = test_key();
  other.bytes[31] ^= 1;
  MacPermutation a(test_key(), false), b(other, false);
  Mac mac = {0x00, 0x1b, 0x21, 0x3a, 0x4b, 0x5c}, out_a{}, out_b{};
  a.permute(mac.data(), out_a.data());
  b.permute(mac.data(), out_b.data());
  CHECK(out_a != out_b);
}

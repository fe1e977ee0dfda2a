#include <arpa/inet.h>

#include <array>
#include <random>
#include <set>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "common/anon/address_anonymizer.h"
#include "common/anon/address_cache.h"

using namespace pktmask;

namespace {

using Ip = std::array<uint8_t, 16>;

AnonKey test_key() {
  AnonKey key;
  for (size_t i = 0; i < key.bytes.size(); ++i) key.bytes[i] = static_cast<uint8_t>(13 * i + 5);
  return key;
}

AnonSettings ip_and_mac() {
  AnonSettings settings;
  settings.ip = settings.mac = true;
  return settings;
}

Ip ip(const std::string& text) {
  Ip bytes{};
  REQUIRE(inet_pton(text.find(':') == std::string::npos ? AF_INET : AF_INET6, text.c_str(), bytes.data()) == 1);
  return bytes;
}

AddressKind kind_of(const std::string& text) {
  return text.find(':') == std::string::npos ? AddressKind::ipv4 : AddressKind::ipv6;
}

Ip anonymized(AddressAnonymizer& anonymizer, const std::string& text) {
  Ip in = ip(text), out{};
  anonymizer.anonymize(kind_of(text), in.data(), out.data());
  return out;
}

// The ranges the documentation reserves, written out by hand.
bool reserved_v4(const Ip& a, bool special, bool private_class) {
  bool special_range = a[0] == 127 || (a[0] >= 224 && a[0] <= 239) || (a[0] == 169 && a[1] == 254) ||
                       (a[0] == 0 && a[1] == 0 && a[2] == 0 && a[3] == 0) ||
                       (a[0] == 255 && a[1] == 255 && a[2] == 255 && a[3] == 255);
  bool class_range = a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) || (a[0] == 192 && a[1] == 168);
  return (special && special_range) || (private_class && class_range);
}

bool reserved_v6(const Ip& a, bool special, bool private_class) {
  bool zero_until_last = std::all_of(a.begin(), a.begin() + 15, [](uint8_t b) { return b == 0; });
  bool special_range = a[0] == 0xff || (a[0] == 0xfe && (a[1] & 0xc0) == 0x80) || (zero_until_last && a[15] <= 1);
  bool class_range = (a[0] & 0xfe) == 0xfc;
  return (special && special_range) || (private_class && class_range);
}

Ip random_ip(std::mt19937_64& random) {
  Ip bytes{};
  for (auto& byte : bytes) byte = static_cast<uint8_t>(random());
  return bytes;
}

}  // namespace

TEST_CASE("special addresses stay as they are and link-local ones keep their prefix") {
  AddressAnonymizer anonymizer(test_key(), ip_and_mac());
  for (const char* same : {"0.0.0.0", "127.0.0.1", "127.200.3.4", "224.0.0.251", "239.1.2.3", "255.255.255.255",
                           "::", "::1", "ff02::1", "ff05::1:3"}) {
    CHECK(anonymized(anonymizer, same) == ip(same));
    CHECK(maps_to_itself(ip_and_mac(), kind_of(same), ip(same).data()));
  }
  Ip link_local = anonymized(anonymizer, "169.254.10.20");
  CHECK((link_local[0] == 169 && link_local[1] == 254));
  CHECK(link_local != ip("169.254.10.20"));
  Ip link_local6 = anonymized(anonymizer, "fe80::1234:5678");
  CHECK((link_local6[0] == 0xfe && (link_local6[1] & 0xc0) == 0x80));
  CHECK(link_local6 != ip("fe80::1234:5678"));
  CHECK_FALSE(maps_to_itself(ip_and_mac(), AddressKind::ipv4, ip("169.254.10.20").data()));
  CHECK_FALSE(maps_to_itself(ip_and_mac(), AddressKind::ipv4, ip("192.0.2.1").data()));

  uint8_t broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, multicast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb};
  uint8_t unicast[6] = {0x00, 0x1b, 0x21, 0x3a, 0x4b, 0x5c}, out[6];
  anonymizer.anonymize(AddressKind::mac, broadcast, out);
  CHECK(std::equal(out, out + 6, broadcast));
  anonymizer.anonymize(AddressKind::mac, multicast, out);
  CHECK(std::equal(out, out + 6, multicast));
  anonymizer.anonymize(AddressKind::mac, unicast, out);
  CHECK_FALSE(std::equal(out, out + 6, unicast));
  CHECK(maps_to_itself(ip_and_mac(), AddressKind::mac, multicast));
  CHECK_FALSE(maps_to_itself(ip_and_mac(), AddressKind::mac, unicast));
}

TEST_CASE("without preserve_special, special addresses are anonymized like any other") {
  AnonSettings settings = ip_and_mac();
  settings.preserve_special = false;
  AddressAnonymizer anonymizer(test_key(), settings);
  CHECK(anonymized(anonymizer, "127.0.0.1") != ip("127.0.0.1"));
  uint8_t multicast[6] = {0x01, 0x00, 0x5e, 0x00, 0x00, 0xfb}, out[6];
  anonymizer.anonymize(AddressKind::mac, multicast, out);
  CHECK_FALSE(std::equal(out, out + 6, multicast));
  CHECK((out[0] & 0x03) == 0x01);
}

TEST_CASE("preserve_class keeps private addresses in their range, prefix-preserving within it") {
  AnonSettings settings = ip_and_mac();
  settings.preserve_class = true;
  AddressAnonymizer anonymizer(test_key(), settings);
  Ip a = anonymized(anonymizer, "10.1.2.3"), b = anonymized(anonymizer, "10.1.2.200");
  CHECK(a[0] == 10);
  CHECK((a[1] == b[1] && a[2] == b[2] && a[3] != b[3]));
  Ip c = anonymized(anonymizer, "172.20.0.1");
  CHECK((c[0] == 172 && (c[1] & 0xf0) == 16));
  Ip d = anonymized(anonymizer, "192.168.1.1");
  CHECK((d[0] == 192 && d[1] == 168));
  Ip e = anonymized(anonymizer, "fd12:3456::1");
  CHECK((e[0] & 0xfe) == 0xfc);
  // Without it, private addresses leave their range like any other.
  AddressAnonymizer plain(test_key(), ip_and_mac());
  std::mt19937_64 random(3);
  int stayed = 0;
  for (int i = 0; i < 200; ++i) {
    Ip in{10, static_cast<uint8_t>(random()), static_cast<uint8_t>(random()), 1}, out{};
    plain.anonymize(AddressKind::ipv4, in.data(), out.data());
    stayed += out[0] == 10;
  }
  CHECK(stayed < 200);
}

TEST_CASE("kept prefixes stay unchanged and nothing else maps into them") {
  AnonSettings settings = ip_and_mac();
  settings.preserve_class = true;
  settings.keep = {*parse_prefix("192.0.2.0/24"), *parse_prefix("10.1.0.0/16"), *parse_prefix("128.0.0.0/2"),
                   *parse_prefix("2001:db8::/32")};
  AddressAnonymizer anonymizer(test_key(), settings);
  CHECK(anonymized(anonymizer, "192.0.2.77") == ip("192.0.2.77"));
  CHECK(anonymized(anonymizer, "10.1.9.9") == ip("10.1.9.9"));
  CHECK(anonymized(anonymizer, "2001:db8::5") == ip("2001:db8::5"));
  CHECK(maps_to_itself(settings, AddressKind::ipv4, ip("192.0.2.77").data()));
  std::mt19937_64 random(4);
  for (int i = 0; i < 3000; ++i) {
    Ip in{10, static_cast<uint8_t>(random()), static_cast<uint8_t>(random()), static_cast<uint8_t>(random())};
    if (in[1] == 1) continue;
    Ip out{};
    anonymizer.anonymize(AddressKind::ipv4, in.data(), out.data());
    CHECK(out[0] == 10);
    CHECK(out[1] != 1);
    Ip general = random_ip(random);
    if (general[0] >= 128 && general[0] < 192) continue;
    anonymizer.anonymize(AddressKind::ipv4, general.data(), out.data());
    if (!reserved_v4(general, true, true)) CHECK_FALSE((out[0] >= 128 && out[0] < 192));
  }
}

TEST_CASE("no address outside the reserved ranges maps into one") {
  std::mt19937_64 random(5);
  for (bool special : {false, true}) {
    for (bool private_class : {false, true}) {
      AnonSettings settings = ip_and_mac();
      settings.preserve_special = special;
      settings.preserve_class = private_class;
      AddressAnonymizer anonymizer(test_key(), settings);
      for (int i = 0; i < 5000; ++i) {
        Ip in = random_ip(random), out{};
        if (!reserved_v4(in, special, private_class)) {
          anonymizer.anonymize(AddressKind::ipv4, in.data(), out.data());
          CHECK_FALSE(reserved_v4(out, special, private_class));
        }
        // Bias IPv6 towards the reserved ranges' neighbourhood, where a walk is needed.
        in[0] = static_cast<uint8_t>(0xf0 | (in[0] & 0x0f));
        if (!reserved_v6(in, special, private_class)) {
          anonymizer.anonymize(AddressKind::ipv6, in.data(), out.data());
          CHECK_FALSE(reserved_v6(out, special, private_class));
        }
      }
    }
  }
}

TEST_CASE("deanonymize undoes anonymize under every combination of settings") {
  std::mt19937_64 random(6);
  for (int combination = 0; combination < 32; ++combination) {
    AnonSettings settings;
    settings.ip = combination & 1;
    settings.mac = combination & 2;
    settings.preserve_special = combination & 4;
    settings.preserve_class = combination & 8;
    settings.keep_oui = combination & 16;
    if (combination & 8) settings.keep = {*parse_prefix("10.9.0.0/16"), *parse_prefix("fd00::/8")};
    AddressAnonymizer anonymizer(test_key(), settings);
    std::vector<Ip> samples = {ip("127.0.0.1"), ip("169.254.1.1"), ip("10.9.3.3"), ip("10.3.3.3"),
                               ip("fe80::1"),   ip("fd00::1"),     ip("fc01::1"),  ip("ff02::2")};
    for (int i = 0; i < 300; ++i) samples.push_back(random_ip(random));
    for (const Ip& original : samples) {
      for (AddressKind kind : {AddressKind::ipv4, AddressKind::ipv6, AddressKind::mac}) {
        Ip in{}, anon{}, back{};
        std::copy_n(original.begin(), address_size(kind), in.begin());
        anonymizer.anonymize(kind, in.data(), anon.data());
        anonymizer.deanonymize(kind, anon.data(), back.data());
        CHECK(back == in);
        if (!anonymizer.rewrites(kind)) CHECK(anon == in);
      }
    }
  }
}

TEST_CASE("the mapping is one-to-one on a whole /16 with its prefix kept") {
  AnonSettings settings = ip_and_mac();
  settings.preserve_class = true;
  AddressAnonymizer anonymizer(test_key(), settings);
  std::set<uint32_t> images;
  for (uint32_t low = 0; low < 65536; ++low) {
    uint8_t in[4] = {192, 168, static_cast<uint8_t>(low >> 8), static_cast<uint8_t>(low)}, out[4];
    anonymizer.anonymize(AddressKind::ipv4, in, out);
    REQUIRE((out[0] == 192 && out[1] == 168));
    images.insert(uint32_t{out[2]} << 8 | out[3]);
  }
  CHECK(images.size() == 65536);
}

TEST_CASE("the cache gives the same answers as a fresh mapping, beyond its size") {
  std::mt19937_64 random(7);
  std::vector<Ip> addresses;
  for (int i = 0; i < 20000; ++i) addresses.push_back(random_ip(random));
  AddressAnonymizer first(test_key(), ip_and_mac()), second(test_key(), ip_and_mac());
  std::vector<Ip> answers;
  for (const Ip& address : addresses) {
    Ip out{};
    first.anonymize(AddressKind::ipv6, address.data(), out.data());
    answers.push_back(out);
  }
  // Again, in another order and with repeats, on the warm cache; and on a
  // cold one in reverse order.
  for (size_t i = 0; i < addresses.size(); ++i) {
    size_t j = (i * 7919) % addresses.size();
    Ip warm{}, cold{};
    first.anonymize(AddressKind::ipv6, addresses[j].data(), warm.data());
    CHECK(warm == answers[j]);
    size_t k = addresses.size() - 1 - i;
    second.anonymize(AddressKind::ipv6, addresses[k].data(), cold.data());
    CHECK(cold == answers[k]);
  }
  // In place, as the rewriter calls it.
  Ip in_place = addresses[0];
  first.anonymize(AddressKind::ipv4, in_place.data(), in_place.data());
  Ip separate{};
  second.anonymize(AddressKind::ipv4, addresses[0].data(), separate.data());
  CHECK(std::equal(in_place.begin(), in_place.begin() + 4, separate.begin()));
}

// How many of the 256 addresses after `base` (varying its last byte) a fresh
// cache holds once all were inserted.
template <size_t Size>
int subnet_held(std::array<uint8_t, Size> address) {
  AddressCache<Size> cache;
  for (int low = 0; low < 256; ++low) {
    address[Size - 1] = static_cast<uint8_t>(low);
    cache.insert(address.data(), address.data());
  }
  int held = 0;
  for (int low = 0; low < 256; ++low) {
    address[Size - 1] = static_cast<uint8_t>(low);
    held += cache.find(address.data()) != nullptr;
  }
  return held;
}

TEST_CASE("the cache holds most of a subnet's addresses at once") {
  // 256 addresses in 4096 slots: about 8 collisions expected, unless the
  // slot ignored the last byte.
  CHECK(subnet_held(std::array<uint8_t, 4>{10, 0, 2, 0}) > 230);
  CHECK(subnet_held(std::array<uint8_t, 4>{203, 0, 113, 0}) > 230);
  CHECK(subnet_held(std::array<uint8_t, 16>{0x20, 0x01, 0x0d, 0xb8}) > 230);
  CHECK(subnet_held(std::array<uint8_t, 6>{0x00, 0x1b, 0x21, 0x3a, 0x4b, 0x00}) > 230);
}

#include "common/anon/address_anonymizer.h"

#include <algorithm>
#include <initializer_list>
#include <string_view>
#include <vector>

#include "common/anon/address_cache.h"
#include "common/anon/crypto_pan.h"
#include "common/anon/mac_permutation.h"

namespace pktmask {

namespace {

std::vector<IpPrefix> prefixes(std::initializer_list<std::string_view> texts) {
  std::vector<IpPrefix> list;
  for (auto text : texts) list.push_back(*parse_prefix(text));
  return list;
}

// preserve_special: loopback, multicast, broadcast and unspecified stay as
// they are; link-local keeps its prefix.
const std::vector<IpPrefix>& special_unchanged() {
  static const auto list =
      prefixes({"0.0.0.0/32", "127.0.0.0/8", "224.0.0.0/4", "255.255.255.255/32", "::/128", "::1/128", "ff00::/8"});
  return list;
}
const std::vector<IpPrefix>& link_local() {
  static const auto list = prefixes({"169.254.0.0/16", "fe80::/10"});
  return list;
}
// preserve_class: RFC 1918 and ULA keep their prefix.
const std::vector<IpPrefix>& private_ranges() {
  static const auto list = prefixes({"10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"});
  return list;
}

// Where an address belongs under the settings: left alone, kept within a
// range's prefix (`range`), or anywhere outside every reserved range (neither).
// Each address maps to one of the same placement.
struct Placement {
  bool unchanged = false;
  const IpPrefix* range = nullptr;
  bool operator==(const Placement&) const = default;
};

const IpPrefix* find_range(const std::vector<IpPrefix>& list, uint8_t family, const uint8_t* address) {
  auto found = std::find_if(list.begin(), list.end(), [&](const IpPrefix& p) { return p.contains(family, address); });
  return found == list.end() ? nullptr : &*found;
}

Placement place(const AnonSettings& settings, uint8_t family, const uint8_t* address) {
  if (find_range(settings.keep, family, address)) return {true, nullptr};
  if (settings.preserve_special) {
    if (find_range(special_unchanged(), family, address)) return {true, nullptr};
    if (auto* range = find_range(link_local(), family, address)) return {false, range};
  }
  if (settings.preserve_class)
    if (auto* range = find_range(private_ranges(), family, address)) return {false, range};
  return {};
}

bool is_group_mac(const uint8_t* mac) { return mac[0] & 0x01; }

// Overwrites the address's first `length` bits with those of `prefix`.
void put_prefix(uint8_t* address, const uint8_t* prefix, int length) {
  for (int i = 0; i < length / 8; ++i) address[i] = prefix[i];
  if (length % 8 == 0) return;
  auto mask = static_cast<uint8_t>(0xff << (8 - length % 8));
  address[length / 8] = static_cast<uint8_t>((address[length / 8] & ~mask) | (prefix[length / 8] & mask));
}

}  // namespace

bool maps_to_itself(const AnonSettings& settings, AddressKind kind, const uint8_t* address) {
  switch (kind) {
    case AddressKind::mac:
      return !settings.mac || (settings.preserve_special && is_group_mac(address));
    case AddressKind::ipv4:
      return !settings.ip || place(settings, 4, address).unchanged;
    case AddressKind::ipv6:
      return !settings.ip || place(settings, 6, address).unchanged;
  }
  return true;
}

struct AddressAnonymizer::State {
  AnonSettings settings;
  CryptoPan pan;
  MacPermutation macs;
  AddressCache<4> ipv4_cache;
  AddressCache<16> ipv6_cache;
  AddressCache<6> mac_cache;

  State(const AnonKey& key, const AnonSettings& s) : settings(s), pan(key), macs(key, s.keep_oui) {}

  // One step of the permutation of the placement's domain: Crypto-PAn, with a
  // range's own prefix put back (a bijection of the range, being prefix-preserving).
  void step(const Placement& placement, int bits, uint8_t* address) const {
    pan.anonymize(address, address, bits);
    if (placement.range) put_prefix(address, placement.range->bytes.data(), placement.range->length);
  }
  // Its inverse: the range's prefix is first replaced by its Crypto-PAn image.
  void step_back(const Placement& placement, int bits, uint8_t* address) const {
    if (placement.range) {
      uint8_t image[16] = {};
      pan.anonymize(placement.range->bytes.data(), image, bits);
      put_prefix(address, image, placement.range->length);
    }
    pan.deanonymize(address, address, bits);
  }

  // Cycle-walking: stepping again while the result lands in another
  // placement keeps the mapping a bijection of each placement onto itself.
  void map_ip(uint8_t family, const uint8_t* address, uint8_t* out, bool inverse) const {
    size_t size = family == 4 ? 4 : 16;
    int bits = static_cast<int>(size * 8);
    Placement placement = place(settings, family, address);
    std::copy_n(address, size, out);
    if (placement.unchanged) return;
    do {
      if (inverse)
        step_back(placement, bits, out);
      else
        step(placement, bits, out);
    } while (place(settings, family, out) != placement);
  }

  void map_mac(const uint8_t* address, uint8_t* out, bool inverse) const {
    if (settings.preserve_special && is_group_mac(address)) {
      std::copy_n(address, 6, out);
    } else if (inverse) {
      macs.invert(address, out);
    } else {
      macs.permute(address, out);
    }
  }

  template <size_t Size, typename Compute>
  void cached(AddressCache<Size>& cache, const uint8_t* address, uint8_t* out, Compute compute) {
    if (const uint8_t* hit = cache.find(address)) {
      std::copy_n(hit, Size, out);
      return;
    }
    uint8_t result[Size];
    compute(result);
    cache.insert(address, result);
    std::copy_n(result, Size, out);
  }
};

AddressAnonymizer::AddressAnonymizer(const AnonKey& key, const AnonSettings& settings)
    : state_(std::make_unique<State>(key, settings)) {}
AddressAnonymizer::~AddressAnonymizer() = default;
AddressAnonymizer::AddressAnonymizer(AddressAnonymizer&&) noexcept = default;
AddressAnonymizer& AddressAnonymizer::operator=(AddressAnonymizer&&) noexcept = default;

bool AddressAnonymizer::rewrites(AddressKind kind) const {
  return kind == AddressKind::mac ? state_->settings.mac : state_->settings.ip;
}

void AddressAnonymizer::anonymize(AddressKind kind, const uint8_t* address, uint8_t* out) {
  State& s = *state_;
  if (!rewrites(kind)) {
    std::copy_n(address, address_size(kind), out);
    return;
  }
  switch (kind) {
    case AddressKind::ipv4:
      s.cached(s.ipv4_cache, address, out, [&](uint8_t* result) { s.map_ip(4, address, result, false); });
      break;
    case AddressKind::ipv6:
      s.cached(s.ipv6_cache, address, out, [&](uint8_t* result) { s.map_ip(6, address, result, false); });
      break;
    case AddressKind::mac:
      s.cached(s.mac_cache, address, out, [&](uint8_t* result) { s.map_mac(address, result, false); });
      break;
  }
}

void AddressAnonymizer::deanonymize(AddressKind kind, const uint8_t* address, uint8_t* out) {
  State& s = *state_;
  if (!rewrites(kind)) {
    std::copy_n(address, address_size(kind), out);
  } else if (kind == AddressKind::mac) {
    s.map_mac(address, out, true);
  } else {
    s.map_ip(kind == AddressKind::ipv4 ? 4 : 6, address, out, true);
  }
}

}  // namespace pktmask

#include "verifier/original_addresses.h"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "common/byte_reader.h"
#include "common/flow_key.h"

namespace pktmask::verify {

namespace {

constexpr unsigned kFilterBits = 20;
constexpr unsigned kQuickFilterBits = 15;

uint32_t be32_of(const uint8_t* bytes) {
  return uint32_t{bytes[0]} << 24 | uint32_t{bytes[1]} << 16 | uint32_t{bytes[2]} << 8 | bytes[3];
}

// The first six bytes of a MAC or IPv6 address as a number.
uint64_t mac_value(const uint8_t* bytes) { return uint64_t{be32_of(bytes)} << 16 | uint64_t{bytes[4]} << 8 | bytes[5]; }

// All zeros or all ones (unspecified, broadcast) names no host, and masked
// bytes are zeros: such a value is never looked for.
bool uninformative(const uint8_t* address, size_t size) {
  return std::all_of(address, address + size, [](uint8_t b) { return b == 0; }) ||
         std::all_of(address, address + size, [](uint8_t b) { return b == 0xff; });
}

}  // namespace

std::string address_text(AddressKind kind, const uint8_t* address) {
  if (kind == AddressKind::mac)
    return fmt::format("{:02x}:{:02x}:{:02x}:{:02x}:{:02x}:{:02x}", address[0], address[1], address[2], address[3],
                       address[4], address[5]);
  std::array<uint8_t, 16> bytes{};
  std::memcpy(bytes.data(), address, address_size(kind));
  return address_to_string(kind == AddressKind::ipv4 ? 4 : 6, bytes);
}

OriginalAddresses::OriginalAddresses(const AnonSetup& anon) : settings_(anon.settings) {
  if (!settings_.any()) return;
  if (anon.key) anonymizer_.emplace(*anon.key, settings_);
  quick_prefixes_.reset(kQuickFilterBits);
  for (Filter* filter : {&prefixes_, &starts_, &ipv4_values_}) filter->reset(kFilterBits);
}

void OriginalAddresses::Filter::reset(unsigned size_bits) {
  bits = size_bits;
  words.assign((size_t{1} << size_bits) / 64, 0);
}

void OriginalAddresses::Filter::add(uint64_t value) {
  uint64_t index = (value * 0x9e3779b97f4a7c15ull) >> (64 - bits);
  words[index / 64] |= uint64_t{1} << (index % 64);
}

void OriginalAddresses::collect(const DecodedRecord& original) {
  if (!settings_.any() || !original.record.has_packet()) return;
  const AddressLayout& layout = original.decoded.addresses;
  ByteReader packet(original.record.packet.data);
  std::array<uint8_t, 17> address{};
  std::array<uint8_t, 16> mapped{};
  for (size_t i = 0; i < layout.site_count; ++i) {
    const AddressSite& site = layout.sites[i];
    size_t size = address_size(site.kind);
    address.fill(0);
    if (!packet.copy(site.offset, size, address.data())) continue;
    address[16] = static_cast<uint8_t>(site.kind);
    if (!examined_.insert(address).second || uninformative(address.data(), size)) continue;
    if (maps_to_itself(settings_, site.kind, address.data())) continue;
    if (anonymizer_) {
      anonymizer_->anonymize(site.kind, address.data(), mapped.data());
      if (std::equal(address.begin(), address.begin() + static_cast<ptrdiff_t>(size), mapped.begin())) continue;
    }
    add(site.kind, address.data());
  }
}

void OriginalAddresses::add(AddressKind kind, const uint8_t* address) {
  quick_prefixes_.add(be32_of(address));
  prefixes_.add(be32_of(address));
  if (kind == AddressKind::ipv4)
    ipv4_values_.add(be32_of(address));
  else
    starts_.add(mac_value(address));
  switch (kind) {
    case AddressKind::ipv4:
      ipv4_.insert(be32_of(address));
      break;
    case AddressKind::ipv6: {
      std::array<uint8_t, 16> bytes;
      std::memcpy(bytes.data(), address, bytes.size());
      ipv6_.insert(bytes);
      break;
    }
    case AddressKind::mac:
      mac_.insert(mac_value(address));
      break;
  }
}

// The longest collected address at `at`, whose first four bytes are `prefix`.
std::optional<AddressKind> OriginalAddresses::confirm(std::span<const uint8_t> bytes, size_t at,
                                                      uint32_t prefix) const {
  ByteReader reader(bytes);
  std::array<uint8_t, 16> address{};
  if (reader.copy(at, 6, address.data()) && starts_.may_hold(mac_value(address.data()))) {
    if (reader.copy(at, 16, address.data()) && ipv6_.contains(address)) return AddressKind::ipv6;
    if (mac_.contains(mac_value(address.data()))) return AddressKind::mac;
  }
  if (ipv4_values_.may_hold(prefix) && ipv4_.contains(prefix)) return AddressKind::ipv4;
  return std::nullopt;
}

// A rolling window of four bytes is tested against the prefix filter at
// every offset; only its rare passes are looked up by kind.
void OriginalAddresses::scan(std::span<const uint8_t> bytes, std::vector<AddressHit>& hits) const {
  if (size() == 0) return;
  uint32_t window = 0;
  size_t next = 0;  // bytes before it belong to a hit
  for (size_t i = 0; i < bytes.size(); ++i) {
    // Masking leaves long runs of zeros, and no all-zero value is collected:
    // while the window is zero, skip zero bytes eight at a time.
    uint64_t word = 0;
    while (window == 0 && i + 8 <= bytes.size() && (std::memcpy(&word, bytes.data() + i, 8), word == 0)) i += 8;
    if (i == bytes.size()) break;
    window = window << 8 | bytes[i];
    if (i < 3 || i - 3 < next || !quick_prefixes_.may_hold(window) || !prefixes_.may_hold(window)) continue;
    size_t at = i - 3;
    if (std::optional<AddressKind> kind = confirm(bytes, at, window)) {
      hits.push_back({at, *kind});
      next = at + address_size(*kind);
    }
  }
}

}  // namespace pktmask::verify

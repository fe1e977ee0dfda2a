#pragma once
// The addresses of an original capture that must not appear anywhere in its
// anonymized output: every address site the decoder found, by kind, except
// those the settings leave unchanged. Collected over the whole original
// before its output is judged (an address may be used by a packet before or
// after the one that leaks it), then scanned for in every output byte.

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "common/anon/address_anonymizer.h"
#include "common/anon/anon_setup.h"
#include "common/packet_pipeline.h"

namespace pktmask::verify {

// An original address found in an output packet at byte `offset`.
struct AddressHit {
  size_t offset;
  AddressKind kind;
};

// "192.0.2.1", "2001:db8::1" or "00:11:22:33:44:55".
std::string address_text(AddressKind kind, const uint8_t* address);

class OriginalAddresses {
 public:
  // Collects nothing while `anon` anonymizes nothing. With the key, an
  // address the key happens to map to itself is not collected either.
  explicit OriginalAddresses(const AnonSetup& anon);

  void collect(const DecodedRecord& original);
  size_t size() const { return ipv4_.size() + ipv6_.size() + mac_.size(); }

  // Appends every collected address found in `bytes`, in order; bytes found
  // in one hit are not looked at again.
  void scan(std::span<const uint8_t> bytes, std::vector<AddressHit>& hits) const;

 private:
  struct BytesHash {
    template <size_t N>
    size_t operator()(const std::array<uint8_t, N>& bytes) const {
      return std::hash<std::string_view>{}({reinterpret_cast<const char*>(bytes.data()), N});
    }
  };
  // A bitmap of 2^bits bits, indexed by a hash of a value.
  struct Filter {
    unsigned bits = 0;
    std::vector<uint64_t> words;
    void reset(unsigned size_bits);
    void add(uint64_t value);
    bool may_hold(uint64_t value) const {
      uint64_t index = (value * 0x9e3779b97f4a7c15ull) >> (64 - bits);
      return (words[index / 64] >> (index % 64)) & 1;
    }
  };
  void add(AddressKind kind, const uint8_t* address);
  std::optional<AddressKind> confirm(std::span<const uint8_t> bytes, size_t at, uint32_t prefix) const;

  AnonSettings settings_;
  std::optional<AddressAnonymizer> anonymizer_;
  // Filters on the first four bytes of every collected address, so that
  // most output bytes cost one bit test (in a first level small enough for
  // the L1 cache, then a larger one), then on the first six bytes of MACs
  // and IPv6 addresses and on IPv4 addresses, so that the few that pass
  // (runs of zeros, when a MAC begins with the OUI 00:00:00) rarely need a
  // lookup.
  Filter quick_prefixes_;
  Filter prefixes_;
  Filter starts_;
  Filter ipv4_values_;
  std::unordered_set<uint32_t> ipv4_;
  std::unordered_set<std::array<uint8_t, 16>, BytesHash> ipv6_;
  std::unordered_set<uint64_t> mac_;
  // Every distinct address looked at (its bytes, then its kind), collected
  // or not: addresses repeat, and each is judged once.
  std::unordered_set<std::array<uint8_t, 17>, BytesHash> examined_;
};

}  // namespace pktmask::verify

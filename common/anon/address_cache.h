#pragma once
// A bounded memo of one kind's anonymized addresses: direct-mapped, a fixed
// number of slots, a newer address evicting an older one in its slot. Traffic
// repeats a few addresses, and each uncached IPv4 address costs 32 AES blocks
// (IPv6 128), while memory stays flat however many addresses a capture holds.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace pktmask {

template <size_t AddressSize>
class AddressCache {
 public:
  static constexpr size_t kSlotBits = 12;

  // The cached result for `address`, or null.
  const uint8_t* find(const uint8_t* address) const {
    const Entry& entry = entries_[slot(address)];
    if (!entry.used) return nullptr;
    for (size_t i = 0; i < AddressSize; ++i)
      if (entry.original[i] != address[i]) return nullptr;
    return entry.result.data();
  }

  void insert(const uint8_t* address, const uint8_t* result) {
    Entry& entry = entries_[slot(address)];
    std::copy_n(address, AddressSize, entry.original.begin());
    std::copy_n(result, AddressSize, entry.result.begin());
    entry.used = true;
  }

 private:
  struct Entry {
    std::array<uint8_t, AddressSize> original{};
    std::array<uint8_t, AddressSize> result{};
    bool used = false;
  };

  // FNV-1a over the bytes, then a finalizer (MurmurHash3's): the top bits
  // picked must depend on the last byte too, or a subnet's addresses would
  // all share one slot.
  static size_t slot(const uint8_t* address) {
    uint64_t hash = 0xcbf29ce484222325;
    for (size_t i = 0; i < AddressSize; ++i) hash = (hash ^ address[i]) * 0x100000001b3;
    hash ^= hash >> 33;
    hash *= 0xff51afd7ed558ccd;
    hash ^= hash >> 33;
    return static_cast<size_t>(hash >> (64 - kSlotBits));
  }

  std::vector<Entry> entries_ = std::vector<Entry>(size_t{1} << kSlotBits);
};

}  // namespace pktmask

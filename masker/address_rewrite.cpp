#include "masker/address_rewrite.h"

#include <algorithm>
#include <array>
#include <cstring>

namespace pktmask {

namespace {

// Bytes [offset, offset + length) as they were before this packet's rewrite.
struct Change {
  uint32_t offset;
  uint32_t length;
  uint8_t site;  // its index in the layout, kNoSite for a checksum field
  std::array<uint8_t, 16> before;
};
constexpr uint8_t kNoSite = 0xff;

struct Changes {
  std::array<Change, kMaxAddressSites + kMaxAddressChecksums> list;
  size_t count = 0;
  uint64_t sites = 0;  // bit i: sites[i] changed
};

uint32_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return sum;
}

// The one's-complement sum the bytes [from, to) add to a sum whose 16-bit
// words start at `origin`: a byte at an even distance from it is a high byte.
uint32_t sum_bytes(const uint8_t* bytes, size_t from, size_t to, size_t origin) {
  uint32_t sum = 0;
  for (size_t at = from; at < to; ++at)
    sum += (at - origin) % 2 == 0 ? uint32_t{bytes[at - from]} << 8 : bytes[at - from];
  return fold(sum);
}

// The old and new sums of what changed inside the checksum's span and pseudo-header.
struct Difference {
  uint32_t before = 0;
  uint32_t after = 0;
  bool any = false;
  void add(uint32_t old_sum, uint32_t new_sum) {
    before = fold(before + old_sum);
    after = fold(after + new_sum);
    any = true;
  }
};

Difference difference(std::span<const uint8_t> data, const AddressChecksum& checksum, const Changes& changes) {
  Difference diff;
  const size_t start = checksum.start, end = std::min<size_t>(size_t{checksum.start} + checksum.length, data.size());
  for (size_t i = 0; i < changes.count; ++i) {
    const Change& change = changes.list[i];
    size_t from = std::max<size_t>(change.offset, start), to = std::min<size_t>(change.offset + change.length, end);
    if (from >= to) continue;
    diff.add(sum_bytes(change.before.data() + (from - change.offset), from, to, start),
             sum_bytes(data.data() + from, from, to, start));
  }
  // The pseudo-header's addresses start on a word of their own.
  uint64_t pseudo = checksum.pseudo_sites & changes.sites;
  for (size_t i = 0; i < changes.count && pseudo != 0; ++i) {
    const Change& change = changes.list[i];
    if (change.site == kNoSite || (pseudo >> change.site & 1) == 0) continue;
    diff.add(sum_bytes(change.before.data(), 0, change.length, 0),
             sum_bytes(data.data() + change.offset, 0, change.length, 0));
  }
  return diff;
}

void remember(Changes& changes, uint8_t site, uint32_t offset, const uint8_t* before, size_t length) {
  Change& change = changes.list[changes.count++];
  change.site = site;
  change.offset = offset;
  change.length = static_cast<uint32_t>(length);
  std::memcpy(change.before.data(), before, length);
}

uint64_t& count_of(AnonCounters& counters, AddressKind kind) {
  return kind == AddressKind::ipv4 ? counters.ipv4 : kind == AddressKind::ipv6 ? counters.ipv6 : counters.mac;
}

// RFC 1624, eqn. 3: HC' = ~(~HC + ~m + m').
void update_checksum(std::span<uint8_t> data, const AddressChecksum& checksum, Changes& changes,
                     AnonCounters& counters) {
  if (size_t{checksum.field_offset} + 2 > data.size()) return;
  uint8_t* field = data.data() + checksum.field_offset;
  const uint16_t value = static_cast<uint16_t>(field[0] << 8 | field[1]);
  if (checksum.zero_means_absent && value == 0) return;
  Difference diff = difference(data, checksum, changes);
  if (!diff.any) return;
  uint32_t sum = fold(uint32_t{static_cast<uint16_t>(~value)} + (~diff.before & 0xffff) + diff.after);
  uint16_t updated = static_cast<uint16_t>(~sum);
  if (checksum.zero_means_absent && updated == 0) updated = 0xffff;
  if (updated == value) return;
  remember(changes, kNoSite, checksum.field_offset, field, 2);
  field[0] = static_cast<uint8_t>(updated >> 8);
  field[1] = static_cast<uint8_t>(updated);
  ++counters.checksums_updated;
}

}  // namespace

void rewrite_addresses(std::span<uint8_t> data, const AddressLayout& layout, AddressAnonymizer& anonymizer,
                       AnonCounters& counters) {
  if (layout.overflow) ++counters.overflowed_packets;
  Changes changes;
  for (uint8_t i = 0; i < layout.site_count; ++i) {
    const AddressSite& site = layout.sites[i];
    if (!anonymizer.rewrites(site.kind)) continue;
    const size_t size = address_size(site.kind);
    uint8_t* address = data.data() + site.offset;
    std::array<uint8_t, 16> before;
    std::memcpy(before.data(), address, size);
    anonymizer.anonymize(site.kind, address, address);
    ++count_of(counters, site.kind);
    if (std::memcmp(before.data(), address, size) == 0) continue;
    remember(changes, i, site.offset, before.data(), size);
    changes.sites |= uint64_t{1} << i;
  }
  if (changes.count == 0) return;
  // Innermost first: a checksum whose span holds another's field starts before it.
  std::array<uint8_t, kMaxAddressChecksums> order;
  for (uint8_t i = 0; i < layout.checksum_count; ++i) order[i] = i;
  std::stable_sort(order.begin(), order.begin() + layout.checksum_count,
                   [&](uint8_t a, uint8_t b) { return layout.checksums[a].start > layout.checksums[b].start; });
  for (uint8_t i = 0; i < layout.checksum_count; ++i)
    update_checksum(data, layout.checksums[order[i]], changes, counters);
}

}  // namespace pktmask

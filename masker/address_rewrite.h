#pragma once
// Address anonymization on the way out: after a packet is masked, each
// address site the decoder found (common/decode/decoded_packet.h,
// AddressLayout) is rewritten with the keyed mapping, and every checksum
// covering a changed byte, directly or through its pseudo-header, is updated
// incrementally (RFC 1624), innermost first. A checksum that verified still
// verifies; one that did not stays off by the same amount (so it tells
// nothing about the original addresses); an absent UDP checksum stays 0.

#include <cstdint>
#include <span>

#include "common/anon/address_anonymizer.h"
#include "common/decode/decoded_packet.h"

namespace pktmask {

struct AnonCounters {
  uint64_t ipv4 = 0;  // address sites rewritten, by kind
  uint64_t ipv6 = 0;
  uint64_t mac = 0;
  uint64_t checksums_updated = 0;
  uint64_t overflowed_packets = 0;  // packets with more addresses than the decoder records
};

void rewrite_addresses(std::span<uint8_t> data, const AddressLayout& layout, AddressAnonymizer& anonymizer,
                       AnonCounters& counters);

}  // namespace pktmask

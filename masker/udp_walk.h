#pragma once
// The UDP walkers of masking policy v2 (section 4): what of one UDP payload
// survives. DTLS records are walked per datagram, QUIC keeps its invariant
// fields, and ports named by keep-udp keep everything. They run in the
// masker, per packet, so both marker engines give the same output.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/flow_key.h"
#include "common/policy.h"

namespace pktmask {

// [begin, end) offsets inside one payload.
struct ByteRange {
  size_t begin = 0;
  size_t end = 0;
  bool operator==(const ByteRange&) const = default;
};

class UdpWalker {
 public:
  explicit UdpWalker(const PolicySettings& settings) : settings_(settings) {}

  // Appends the ranges of `payload` the policy keeps, in order and
  // non-overlapping. `key` holds the datagram's addresses and ports.
  void kept(const FlowKey& key, std::span<const uint8_t> payload, std::vector<ByteRange>& ranges);

 private:
  const PolicySettings& settings_;
};

}  // namespace pktmask

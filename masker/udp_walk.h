#pragma once
// The UDP walkers of masking policy v2 (section 4): what of one UDP payload
// survives. DTLS records are walked per datagram, QUIC keeps its invariant
// fields, and ports named by keep-udp keep everything. They run in the
// masker, per packet, so both marker engines give the same output.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/byte_range.h"
#include "common/flow_key.h"
#include "common/policy.h"
#include "masker/quic_walk.h"

namespace pktmask {

class UdpWalker {
 public:
  // `quic_capacity` bounds the QUIC walk's table of 4-tuples (QuicWalk).
  explicit UdpWalker(const PolicySettings& settings, size_t quic_capacity = QuicWalk::kDefaultCapacity)
      : settings_(settings), quic_(quic_capacity) {}

  // Appends the ranges of `payload` the policy keeps, in order and
  // non-overlapping. `key` holds the datagram's addresses and ports. Call it
  // for every UDP datagram in capture order: the QUIC walk learns from long
  // headers how long later short headers' connection IDs are.
  void kept(const FlowKey& key, std::span<const uint8_t> payload, std::vector<ByteRange>& ranges);

 private:
  PolicySettings settings_;  // a copy: a walker may outlive the settings it was made from
  QuicWalk quic_;
};

}  // namespace pktmask

#pragma once
// What masking policy v2 keeps of one UDP payload (sections 4 and 10),
// worked out for the verifier on its own: it shares no code with the
// masker's walkers. Where the policy lets the tool choose (a QUIC
// short-header packet's first byte and DCID, handshake detail inside DTLS
// handshake bodies) the verdict is `either`.

#include <cstddef>
#include <cstdint>
#include <span>
#include <unordered_set>
#include <vector>

#include "common/flow_key.h"
#include "common/policy.h"
#include "verifier/kept_ranges.h"

namespace pktmask::verify {

// [begin, end) of the payload with its verdict; bytes no stretch covers must be zero.
struct PayloadStretch {
  size_t begin;
  size_t end;
  Verdict verdict;
};

class UdpVerdicts {
 public:
  explicit UdpVerdicts(const PolicySettings& settings) : settings_(settings) {}

  // The stretches of one datagram's payload, in order; `key` holds its
  // addresses and ports. Datagrams come in capture order: a QUIC short
  // header counts as one only on a 4-tuple seen with long headers before.
  void judge(const FlowKey& key, std::span<const uint8_t> payload, std::vector<PayloadStretch>& stretches);

 private:
  const PolicySettings& settings_;
  std::unordered_set<FlowKey, FlowKeyHash> quic_;  // 4-tuples, lower endpoint first
};

}  // namespace pktmask::verify

#pragma once
// Connection directions, generations and 64-bit logical sequence numbers.
// Marker and masker feed it the same packets in the same order, so both
// arrive at the same direction ids and offsets by construction.

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "common/decode/decoded_packet.h"
#include "common/flow_key.h"

namespace pktmask {

struct DirectionState {
  FlowKey key;
  uint32_t generation = 0;
  bool syn_seen = false;
  bool data_seen = false;
  uint32_t isn = 0;
  uint64_t highest = 0;       // highest logical sequence number seen
  uint64_t stream_start = 0;  // valid once syn_seen or data_seen
  // TCP segments placed in this direction by this process (not carried in
  // files): tells a direction that is still heard, if only by keepalive
  // probes or retransmissions, from one gone quiet.
  uint64_t segments = 0;
};

struct SegmentPlace {
  uint32_t direction = 0;      // index into FlowTracker::directions()
  uint64_t payload_start = 0;  // logical sequence number of the first payload byte
};

// Logical sequence numbers begin at 2^32 + the first 32-bit value seen, so
// reordering before the first segment never goes below zero.
constexpr uint64_t kLogicalBase = uint64_t{1} << 32;

// Serial-arithmetic unwrap of `seq` relative to `highest` (RFC 1982 style);
// correct while reordering stays below 2^31 bytes.
inline uint64_t unwrap_sequence(uint64_t highest, uint32_t seq) {
  int32_t delta = static_cast<int32_t>(seq - static_cast<uint32_t>(highest));
  return highest + static_cast<uint64_t>(static_cast<int64_t>(delta));
}

class FlowTracker {
 public:
  FlowTracker() = default;
  // Continues from the directions a previous capture segment ended with.
  explicit FlowTracker(std::vector<DirectionState> carried);

  SegmentPlace place(const TcpSegment& segment);
  const std::vector<DirectionState>& directions() const { return directions_; }

 private:
  uint32_t start_generation(const FlowKey& key, uint32_t generation);

  std::unordered_map<FlowKey, uint32_t, FlowKeyHash> current_;  // key -> newest generation's index
  std::vector<DirectionState> directions_;
};

}  // namespace pktmask

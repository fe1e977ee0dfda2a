#include "common/flow_tracker.h"

#include <algorithm>

namespace pktmask {

FlowTracker::FlowTracker(std::vector<DirectionState> carried) : directions_(std::move(carried)) {
  for (uint32_t i = 0; i < directions_.size(); ++i) current_[directions_[i].key] = i;  // newest generation last
}

uint32_t FlowTracker::start_generation(const FlowKey& key, uint32_t generation) {
  auto index = static_cast<uint32_t>(directions_.size());
  directions_.push_back(DirectionState{key, generation});
  current_[key] = index;
  return index;
}

SegmentPlace FlowTracker::place(const TcpSegment& segment) {
  const bool syn = segment.flags & kTcpSyn;
  auto found = current_.find(segment.key);
  uint32_t index;
  if (found == current_.end()) {
    index = start_generation(segment.key, 0);
  } else {
    index = found->second;
    const DirectionState& now = directions_[index];
    bool new_connection = syn && ((now.syn_seen && segment.seq != now.isn) || (!now.syn_seen && now.data_seen));
    if (new_connection) index = start_generation(segment.key, now.generation + 1);
  }
  DirectionState& state = directions_[index];
  ++state.segments;
  bool first = !state.syn_seen && !state.data_seen && state.highest == 0;
  uint64_t logical = first ? kLogicalBase + segment.seq : unwrap_sequence(state.highest, segment.seq);
  state.highest = std::max(state.highest, logical);
  if (syn && !state.syn_seen) {
    state.syn_seen = true;
    state.isn = segment.seq;
    state.stream_start = logical + 1;
  }
  uint64_t payload_start = logical + (syn ? 1 : 0);
  if (segment.payload_length > 0) {
    if (!state.syn_seen)
      state.stream_start = state.data_seen ? std::min(state.stream_start, payload_start) : payload_start;
    state.data_seen = true;
  }
  return {index, payload_start};
}

}  // namespace pktmask

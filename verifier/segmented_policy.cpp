#include "verifier/segmented_policy.h"

#include <unordered_map>

#include <fmt/format.h>

#include "common/errors.h"
#include "verifier/capture_bytes.h"
#include "verifier/tcp_segments.h"

namespace pktmask::verify {

void SegmentedPolicy::follow(const std::vector<DirectionState>& carried) {
  std::unordered_map<FlowKey, std::vector<size_t>, FlowKeyHash> by_key;
  for (size_t i = 0; i < directions_.size(); ++i) by_key[directions_[i].key].push_back(i);
  std::vector<Direction> followed;
  followed.reserve(carried.size());
  for (const DirectionState& state : carried) {
    Direction direction{state.key, state.generation, nullptr};
    for (size_t i : by_key[state.key])
      if (directions_[i].generation == state.generation) direction.walk = std::move(directions_[i].walk);
    followed.push_back(std::move(direction));
  }
  directions_ = std::move(followed);
}

std::vector<const KeptRanges*> SegmentedPolicy::walk(const std::string& segment,
                                                     const std::vector<DirectionState>& carried) {
  follow(carried);
  FlowTracker first_pass(carried);
  for_each_segment(segment, TornTail::refuse, first_pass,
                   [](const CaptureRecord&, const TcpSegment&, const SegmentPlace&) {});
  const std::vector<DirectionState>& starts = first_pass.directions();
  for (size_t i = directions_.size(); i < starts.size(); ++i)
    directions_.push_back({starts[i].key, starts[i].generation, nullptr});

  CaptureBytes bytes(segment);
  FlowTracker second_pass(carried);
  for_each_segment(segment, TornTail::refuse, second_pass,
                   [&](const CaptureRecord& record, const TcpSegment& tcp, const SegmentPlace& place) {
                     if (tcp.payload_captured == 0) return;
                     if (place.direction >= directions_.size())
                       throw Error(ExitCode::bad_capture, fmt::format("{}: changed while being verified", segment));
                     std::unique_ptr<PolicyWalk>& walk = directions_[place.direction].walk;
                     if (!walk) walk = std::make_unique<PolicyWalk>(starts[place.direction].stream_start);
                     uint64_t at = data_offset(record);
                     bytes.set_window(at, record.packet.data);
                     walk->feed(place.payload_start, tcp.payload_captured, at + tcp.payload_offset, bytes);
                   });
  bytes.set_window(0, {});  // the last packet's buffer is gone

  std::vector<const KeptRanges*> policy;
  for (Direction& direction : directions_) {
    if (direction.walk) direction.walk->pause(bytes);
    policy.push_back(direction.walk ? &direction.walk->kept() : nullptr);
  }
  return policy;
}

}  // namespace pktmask::verify

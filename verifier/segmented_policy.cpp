#include "verifier/segmented_policy.h"

#include <unordered_map>

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
                                                     const std::vector<DirectionState>& carried,
                                                     const AnonSetup& anon) {
  follow(carried);
  if (!addresses_) addresses_.emplace(anon);
  PipelineOptions options{.carried = carried};
  std::vector<DirectionState> starts =
      stream_starts(segment, options, [this](const DecodedRecord& read) { addresses_->collect(read); });
  for (size_t i = directions_.size(); i < starts.size(); ++i)
    directions_.push_back({starts[i].key, starts[i].generation, nullptr});

  CaptureBytes bytes(segment);
  for_each_payload(segment, options, bytes, starts.size(),
                   [&](uint32_t direction, uint64_t seq, uint64_t length, uint64_t file_offset) {
                     std::unique_ptr<PolicyWalk>& walk = directions_[direction].walk;
                     if (!walk)
                       walk = std::make_unique<PolicyWalk>(starts[direction].stream_start, settings_.tls,
                                                           settings_.handshake);
                     walk->feed(seq, length, file_offset, bytes);
                   });

  std::vector<const KeptRanges*> policy;
  for (Direction& direction : directions_) {
    if (direction.walk) direction.walk->pause(bytes);
    policy.push_back(direction.walk ? &direction.walk->kept() : nullptr);
  }
  return policy;
}

}  // namespace pktmask::verify

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

SegmentedPolicy::Walked SegmentedPolicy::walk_on(const CaptureSegment& segment, const AnonSetup& anon) {
  follow(segment.carried);
  if (!addresses_) addresses_.emplace(anon);
  PipelineOptions options{.carried = segment.carried};
  std::vector<DirectionState> starts =
      stream_starts(segment.path, options, [this](const DecodedRecord& read) { addresses_->collect(read); });
  for (size_t i = directions_.size(); i < starts.size(); ++i)
    directions_.push_back({starts[i].key, starts[i].generation, nullptr});

  CaptureBytes bytes(segment.path);
  for_each_payload(segment.path, options, bytes, starts.size(),
                   [&](uint32_t direction, uint64_t seq, uint64_t length, uint64_t file_offset) {
                     std::shared_ptr<PolicyWalk>& walk = directions_[direction].walk;
                     if (!walk)
                       walk = std::make_shared<PolicyWalk>(starts[direction].stream_start, settings_.tls,
                                                           settings_.handshake);
                     walk->feed(seq, length, file_offset, bytes);
                   });

  Walked walked{segment.path, {}};
  for (Direction& direction : directions_) {
    if (direction.walk) direction.walk->pause(bytes);
    walked.walks.push_back(direction.walk);
  }
  return walked;
}

std::vector<const KeptRanges*> SegmentedPolicy::walk(const CaptureSegment& segment, const CaptureSegment* next,
                                                     const AnonSetup& anon) {
  checked_ = ahead_ && ahead_->path == segment.path ? std::move(*ahead_) : walk_on(segment, anon);
  ahead_.reset();
  for (const std::shared_ptr<PolicyWalk>& walk : checked_.walks)
    if (walk) walk->forget_behind();
  if (next) ahead_ = walk_on(*next, anon);

  std::vector<const KeptRanges*> policy;
  for (const std::shared_ptr<PolicyWalk>& walk : checked_.walks) policy.push_back(walk ? &walk->kept() : nullptr);
  return policy;
}

}  // namespace pktmask::verify

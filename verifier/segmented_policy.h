#pragma once
// The verifier's walk of a capture that arrives in segments (`pktmask
// capture`), for the self-check of each sanitized segment. Each direction's
// walk carries from segment to segment; the bytes it still needs are copied
// into memory when a segment ends, because its raw file is deleted.
//
// The flow tracker's state at each segment start comes from the pipeline
// (the marker's carried directions after flow expiry, docs/capture.md): it is
// shared plumbing, not the walk, and following it forgets exactly the
// directions the pipeline forgot.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/anon/anon_setup.h"
#include "common/flow_tracker.h"
#include "common/output_check.h"
#include "common/policy.h"
#include "verifier/kept_ranges.h"
#include "verifier/original_addresses.h"
#include "verifier/policy_walk.h"

namespace pktmask::verify {

class SegmentedPolicy {
 public:
  explicit SegmentedPolicy(const PolicySettings& settings) : settings_(settings) {}
  const PolicySettings& settings() const { return settings_; }

  // What the policy keeps of `segment` (a regular file), walked on from its
  // carried state unless it was walked already as the look-ahead of the
  // segment before; with `next`, walked on into the next segment too, whose
  // records may begin in `segment`'s packets (a loss repaired there).
  // Indexed like a FlowTracker built from `segment.carried` that then sees
  // the segment (null: nothing kept). Valid until the next call.
  // The segments' addresses join those of the segments before them, under
  // the anonymization `anon` (the same for every segment).
  std::vector<const KeptRanges*> walk(const CaptureSegment& segment, const CaptureSegment* next,
                                      const AnonSetup& anon = {});
  // The addresses of every segment walked so far.
  const OriginalAddresses& addresses() const { return *addresses_; }

 private:
  struct Direction {
    FlowKey key;
    uint32_t generation = 0;
    std::shared_ptr<PolicyWalk> walk;  // absent until the direction carried payload
  };
  // A walked segment's walks, in its flow tracker's order: they outlive the
  // directions the next segment forgets.
  struct Walked {
    std::string path;
    std::vector<std::shared_ptr<PolicyWalk>> walks;
  };
  // The walks of the directions in `carried`, in its order; the rest are forgotten.
  void follow(const std::vector<DirectionState>& carried);
  Walked walk_on(const CaptureSegment& segment, const AnonSetup& anon);

  PolicySettings settings_;
  std::vector<Direction> directions_;
  std::optional<OriginalAddresses> addresses_;
  std::optional<Walked> ahead_;  // walked as the look-ahead of the segment checked last
  Walked checked_;
};

}  // namespace pktmask::verify

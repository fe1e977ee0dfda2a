#pragma once
// The check `sanitize`, `mask` and batch mode run on their own output before
// it is published: the verifier's own walk of the original says what the
// policy keeps, and every record the masker writes is held against it. An
// output with one leaked byte, or any change the policy does not allow, is
// never renamed into place.
//
// Bytes the policy keeps but the output masks ("lost") are not a privacy
// problem, and the tshark engine masks more than the policy where it cannot
// see (docs/engines.md): they are counted, not refused.

#include <cstdint>
#include <future>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/anon/anon_setup.h"
#include "common/output_check.h"
#include "common/policy.h"
#include "verifier/findings.h"
#include "verifier/kept_ranges.h"
#include "verifier/original_addresses.h"
#include "verifier/record_comparison.h"
#include "verifier/segmented_policy.h"

namespace pktmask::verify {

// What the self-check reports in --stats.
struct SelfCheckStats {
  bool ran = false;
  std::string not_run_reason{};  // when it could not run (not when it was turned off)
  uint64_t leaked_bytes = 0;
  uint64_t lost_bytes = 0;
  uint64_t structural = 0;
  // Original addresses found in payload bytes the policy keeps: not a
  // failure of the self-check, a warning (verifier/address_judge.h).
  uint64_t kept_payload_addresses = 0;
  std::string first_kept_payload_address{};

  bool ok() const { return leaked_bytes == 0 && structural == 0; }
};

class SelfCheck final : public OutputCheck {
 public:
  // Starts walking `original` (a regular file or bytes in memory) at once, on a thread of its
  // own, so the walk overlaps the marker's work. `output` names the file in
  // messages. A torn last record of the original is treated per `torn_tail`,
  // as the masker treats it.
  SelfCheck(CaptureInput original, std::string output, TornTail torn_tail, const PolicySettings& settings,
            const AnonSetup& anon);
  // One segment of a capture (`pktmask capture`): walks it on with `policy`,
  // and into `next` when that was marked as its look-ahead (may be null),
  // before the masker starts.
  SelfCheck(SegmentedPolicy& policy, const CaptureSegment& segment, const CaptureSegment* next, std::string output,
            const PolicySettings& settings, const AnonSetup& anon);
  ~SelfCheck() override;
  SelfCheck(const SelfCheck&) = delete;
  SelfCheck& operator=(const SelfCheck&) = delete;

  // Throws at the first record that fails, before it is written.
  void record(const DecodedRecord& original, std::span<const uint8_t> written, uint64_t frame) override;
  // Throws Error(verification_failed) naming the first offending packet.
  // Throws as record() does; warns of original addresses left in kept payload bytes.
  void before_publish() override;
  SelfCheckStats stats() const;

 private:
  void throw_if_failed() const;
  std::string output_;
  PolicySettings settings_;
  AnonSetup anon_;
  OriginalAddresses addresses_;  // of a whole capture: collected by the walk
  std::future<std::vector<KeptRanges>> walk_;
  std::vector<KeptRanges> policy_;  // of a whole capture
  Findings findings_;
  std::optional<RecordComparison> comparison_;
};

}  // namespace pktmask::verify

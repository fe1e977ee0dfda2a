#pragma once
// The masker stage: one streaming pass that copies the capture record by
// record, masking each packet as the policy says (masker/packet_mask.h) and
// rewriting pcapng metadata (masker/pcapng_scrub.h).

#include <cstdint>
#include <span>
#include <string>

#include "common/anon/anon_setup.h"
#include "common/capture_input.h"
#include "common/capture_reader.h"
#include "common/keep_rules.h"
#include "common/output_check.h"
#include "common/policy.h"
#include "masker/mask_observer.h"
#include "masker/mask_stats.h"
#include "masker/packet_mask.h"

namespace pktmask {

struct MaskJob {
  CaptureInput input;
  std::string output;  // path, or "-" for stdout; empty: nothing is written (pktmask report)
  bool progress = false;
  TornTail torn_tail = TornTail::refuse;  // leave_out: mask the complete records of a capture cut short
  OutputCheck* check = nullptr;
  MaskObserver* observer = nullptr;  // sees every record as masked (the report)
  PolicySettings policy;             // must match the settings the rules were made under
  AnonSetup anon;                    // address anonymization on the way out (off by default; a key when on)
};

// Test-only: a fault applied to every masked payload, to prove that the
// self-check refuses a leaky output (tests/fault/). pktmask never sets one.
void set_mask_fault(MaskFault fault);

// Returns the masking statistics; throws Error. No output is left behind on
// failure.
MaskStats mask_capture(const MaskJob& job, const KeepRuleSet& rules);

}  // namespace pktmask

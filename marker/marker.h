#pragma once
// The marker stage: dissects a capture and produces its KeepRuleSet.
// Two engines implement it: tshark (Wireshark's dissector as a subprocess)
// and native (the project's own decoder and record walk, one fast pass).

#include <string>

#include "common/capture_input.h"
#include "common/capture_reader.h"
#include "common/keep_rules.h"
#include "common/policy.h"
#include "marker/mark_state.h"

namespace pktmask {

// `both` runs the two and reports where they differ (with the native rules,
// which the command line uses only when there is no difference).
enum class Engine { tshark, native, both };

struct MarkJob {
  CaptureInput input;  // read twice by some engines: a file, not a pipe
  Engine engine = Engine::tshark;
  std::string tshark = "tshark";
  bool progress = false;
  // leave_out: mark the complete records of a capture cut short (the
  // KeepRuleSet's stats say where, as input_truncated_at).
  TornTail torn_tail = TornTail::refuse;
  // Segments of a split capture (native engine only): continue from the
  // state the previous segment ended with, and hand on this one's.
  const MarkState* state_in = nullptr;
  MarkState* state_out = nullptr;
  PolicySettings policy;  // recorded in the rules; its tls, handshake and starttls settings shape them
};

KeepRuleSet mark_capture(const MarkJob& job);
KeepRuleSet mark_native(const MarkJob& job);
KeepRuleSet mark_tshark(const MarkJob& job);
// The tshark engine, keeping only records `policy` (the native engine's rules
// for the same job) walked too.
KeepRuleSet mark_tshark(const MarkJob& job, const KeepRuleSet& policy);

// Statistics both engines report about the walk verdicts in `rules`.
WalkStatistics walk_statistics(const KeepRuleSet& rules);

}  // namespace pktmask

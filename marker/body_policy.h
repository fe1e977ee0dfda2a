#pragma once
// The policy's `tls` bodies and `handshake` detail (masking policy v2,
// sections 9 and 10) applied to the record rules an engine made. Both
// engines' rules go through this one pass (mark_capture calls it), so that
// whatever engine placed the records, the same bytes of them are kept.

#include "common/keep_rules.h"
#include "marker/marker.h"

namespace pktmask {

// A record body whose type `tls` does not list keeps only its header. With
// handshake=anonymous|headers, the capture is read once more to collect each
// direction's Handshake bodies, and each Handshake record's rule becomes its
// header and the parts of its body the handshake walk keeps
// (marker/handshake_walk.h). A direction whose walk began in an earlier
// segment of a split capture (job.state_in) cannot be judged: its Handshake
// bodies are zero. So are those of directions past the memory budget.
void apply_body_policy(const MarkJob& job, KeepRuleSet& rules);

}  // namespace pktmask

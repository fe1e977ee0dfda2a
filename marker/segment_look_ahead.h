#pragma once
// The look-ahead of a capture that arrives in segments (`pktmask capture`):
// a loss in segment N repaired by a retransmission in segment N+1 leaves N's
// walk waiting at the gap, and only marking N+1 (from N's carried state)
// places the records behind it, whose headers lie in N's packets.

#include "common/keep_rules.h"

namespace pktmask {

// Adds to `rules` (segment N's) what marking the next segment placed in the
// directions it continues: each such direction keeps N's own rules up to
// where N's walk ended, then the next segment's from there on (its verdict
// on a header N only partly captured replaces N's provisional one). The
// result is what marking N and N+1 as one capture keeps of N's packets.
void add_look_ahead(KeepRuleSet& rules, const KeepRuleSet& next);

}  // namespace pktmask

#pragma once
// Forgets the carried state of connection directions that have been quiet
// for longer than the flow timeout, in capture time, so a capture running
// for days holds only its recent connections. A direction heard of again
// after that is a new one, exactly as if the capture had joined it
// mid-stream (docs/capture.md, "Memory").

#include <cstdint>
#include <vector>

#include "marker/mark_state.h"

namespace pktmask {

class FlowExpiry {
 public:
  explicit FlowExpiry(int64_t timeout_us) : timeout_us_(timeout_us) {}

  // `before` is the state a segment was marked from, `after` the state it
  // ended with (before's directions, then the new ones, as the flow tracker
  // appends them); `end_us` is the time of the segment's last packet. A
  // direction is active in the segment when it is new or one more TCP
  // segment was placed in it (a keepalive probe counts). Removes the
  // directions last active more than the timeout before `end_us` from
  // `after`; returns how many. A timeout of 0 never forgets.
  uint64_t prune(const MarkState& before, MarkState& after, int64_t end_us);

 private:
  int64_t timeout_us_;
  std::vector<int64_t> last_active_us_;  // parallel to the carried directions
};

}  // namespace pktmask

#include "capture/flow_expiry.h"

#include <stdexcept>

namespace pktmask {

uint64_t FlowExpiry::prune(const MarkState& before, MarkState& after, int64_t end_us) {
  if (timeout_us_ <= 0) return 0;
  const size_t carried = before.directions.size();
  if (after.directions.size() < carried || last_active_us_.size() != carried)
    throw std::logic_error("flow expiry: the carried state does not continue the previous one");
  for (size_t i = 0; i < carried; ++i)
    if (after.directions[i].direction.segments != before.directions[i].direction.segments) last_active_us_[i] = end_us;
  last_active_us_.resize(after.directions.size(), end_us);  // the new directions
  // Order is kept: the flow tracker takes the last entry of a key as its newest generation.
  size_t kept = 0;
  for (size_t i = 0; i < after.directions.size(); ++i) {
    if (end_us - last_active_us_[i] > timeout_us_) continue;
    if (kept != i) {
      after.directions[kept] = std::move(after.directions[i]);
      last_active_us_[kept] = last_active_us_[i];
    }
    ++kept;
  }
  uint64_t forgotten = after.directions.size() - kept;
  after.directions.resize(kept);
  last_active_us_.resize(kept);
  return forgotten;
}

}  // namespace pktmask

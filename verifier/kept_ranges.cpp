#include "verifier/kept_ranges.h"

#include <algorithm>

namespace pktmask::verify {

void KeptRanges::add(uint64_t start, uint64_t end, Verdict verdict) {
  if (start >= end) return;
  while (!ranges_.empty() && ranges_.back().verdict == Verdict::either && ranges_.back().end > start) {
    if (ranges_.back().start < start) {
      ranges_.back().end = start;
      break;
    }
    ranges_.pop_back();
  }
  // Back-to-back records of the same verdict (a handshake flight) merge into one range.
  if (!ranges_.empty() && ranges_.back().end == start && ranges_.back().verdict == verdict) {
    ranges_.back().end = end;
    return;
  }
  ranges_.push_back({start, end, verdict});
}

std::vector<KeptRanges::Range>::const_iterator KeptRanges::first_after(uint64_t seq) const {
  return std::upper_bound(ranges_.begin(), ranges_.end(), seq,
                          [](uint64_t value, const Range& range) { return value < range.end; });
}

}  // namespace pktmask::verify

#pragma once
// What the policy keeps of one connection direction, in logical sequence
// space: sorted, disjoint stretches, each either kept or left to the tool's
// choice (the captured bytes of a header the walk stopped at). Every other
// stream byte is masked.

#include <algorithm>
#include <cstdint>
#include <vector>

namespace pktmask::verify {

enum class Verdict : uint8_t {
  masked,  // must be zero
  kept,    // must equal the original
  either,  // may be kept or masked
};

class KeptRanges {
 public:
  // Ranges are added in increasing order, as the walk reaches them. The one
  // exception: an `either` range at the end of a capture segment is
  // provisional, and a later range over the same bytes replaces it.
  void keep(uint64_t start, uint64_t end) { add(start, end, Verdict::kept); }
  void allow_either(uint64_t start, uint64_t end) { add(start, end, Verdict::either); }
  // Forgets the ranges that end at or below `seq`: bytes there count as masked.
  void forget_below(uint64_t seq) { ranges_.erase(ranges_.begin(), first_after(seq)); }

  // Calls visit(first, last, verdict) for consecutive stretches that
  // together cover [start, end), in order.
  template <typename Visit>
  void for_each_stretch(uint64_t start, uint64_t end, Visit&& visit) const;

 private:
  struct Range {
    uint64_t start;
    uint64_t end;  // exclusive
    Verdict verdict;
  };
  void add(uint64_t start, uint64_t end, Verdict verdict);
  // The first range that ends after `seq`.
  std::vector<Range>::const_iterator first_after(uint64_t seq) const;

  std::vector<Range> ranges_;
};

// The walk's results as the comparison takes them.
inline std::vector<const KeptRanges*> pointers_to(const std::vector<KeptRanges>& policy) {
  std::vector<const KeptRanges*> pointers;
  for (const KeptRanges& ranges : policy) pointers.push_back(&ranges);
  return pointers;
}

template <typename Visit>
void KeptRanges::for_each_stretch(uint64_t start, uint64_t end, Visit&& visit) const {
  uint64_t at = start;
  for (auto range = first_after(start); at < end; ++range) {
    if (range == ranges_.end() || range->start >= end) {
      visit(at, end, Verdict::masked);
      return;
    }
    if (range->start > at) visit(at, range->start, Verdict::masked);
    at = std::max(at, range->start);
    uint64_t stop = std::min(range->end, end);
    visit(at, stop, range->verdict);
    at = stop;
  }
}

}  // namespace pktmask::verify

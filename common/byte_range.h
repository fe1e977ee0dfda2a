#pragma once
// A kept span of bytes, as the walkers report what the policy keeps.

#include <cstddef>
#include <vector>

namespace pktmask {

// [begin, end) offsets inside one payload.
struct ByteRange {
  size_t begin = 0;
  size_t end = 0;
  bool operator==(const ByteRange&) const = default;
};

// Appends [begin, end) to ranges kept in order, joining it to the last range
// when they touch, so a walk reports one range per contiguous kept run.
inline void append_range(std::vector<ByteRange>& ranges, size_t begin, size_t end) {
  if (begin >= end) return;
  if (!ranges.empty() && ranges.back().end == begin) {
    ranges.back().end = end;
    return;
  }
  ranges.push_back({begin, end});
}

}  // namespace pktmask

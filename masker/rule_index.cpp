#include "masker/rule_index.h"

#include <algorithm>
#include <cstring>

namespace pktmask {

RuleIndex::RuleIndex(const KeepRuleSet& rules) {
  for (const FlowRules& flow : rules.flows) {
    if (flow.rules.empty()) continue;
    std::vector<KeptRange> ranges;
    ranges.reserve(flow.rules.size());
    for (const KeepRule& rule : flow.rules) {
      if (!ranges.empty() && ranges.back().end == rule.seq_start)
        ranges.back().end = rule.seq_end;
      else
        ranges.push_back({rule.seq_start, rule.seq_end});
    }
    ranges.shrink_to_fit();
    map_[flow.key].push_back({flow.generation, std::move(ranges)});
    ++size_;
  }
}

std::span<const KeptRange> RuleIndex::find(const FlowKey& key, uint32_t generation) const {
  auto found = map_.find(key);
  if (found == map_.end()) return {};
  for (const Generation& entry : found->second)
    if (entry.generation == generation) return entry.ranges;
  return {};
}

MaskResult mask_payload(std::span<const KeptRange> kept, uint64_t seq, std::span<uint8_t> payload) {
  MaskResult result;
  const uint64_t end = seq + payload.size();
  auto range = std::partition_point(kept.begin(), kept.end(), [&](const KeptRange& r) { return r.end <= seq; });
  uint64_t at = seq;  // everything before `at` is already judged
  for (; range != kept.end() && range->start < end; ++range) {
    uint64_t keep_from = std::max(range->start, at);
    // Never behind `at`: ranges out of order (rules built in code, not read
    // from a file) then mask more, and never write outside the payload.
    uint64_t keep_to = std::max(keep_from, std::min(range->end, end));
    if (keep_from > at) std::memset(payload.data() + (at - seq), 0, keep_from - at);
    result.masked += keep_from - at;
    result.kept += keep_to - keep_from;
    at = keep_to;
  }
  if (end > at) std::memset(payload.data() + (at - seq), 0, end - at);
  result.masked += end - at;
  return result;
}

}  // namespace pktmask

#include "marker/engine_diff.h"

#include <algorithm>
#include <map>
#include <tuple>

#include <fmt/format.h>

namespace pktmask {

namespace {

struct Range {
  uint64_t start, end;
};
using FlowId = std::tuple<uint8_t, std::array<uint8_t, 16>, uint16_t, std::array<uint8_t, 16>, uint16_t, uint32_t>;

FlowId id_of(const FlowRules& flow) {
  return {flow.key.family, flow.key.src, flow.key.sport, flow.key.dst, flow.key.dport, flow.generation};
}

std::vector<Range> merged(const FlowRules* flow) {
  std::vector<Range> ranges;
  if (!flow) return ranges;
  for (const KeepRule& rule : flow->rules) {
    if (!ranges.empty() && ranges.back().end == rule.seq_start)
      ranges.back().end = rule.seq_end;
    else
      ranges.push_back({rule.seq_start, rule.seq_end});
  }
  return ranges;
}

// Ranges covered by `a` and not by `b` (both sorted, non-overlapping).
std::vector<Range> minus(const std::vector<Range>& a, const std::vector<Range>& b) {
  std::vector<Range> out;
  size_t j = 0;
  for (Range r : a) {
    uint64_t at = r.start;
    while (j < b.size() && b[j].end <= at) ++j;
    for (size_t k = j; k < b.size() && b[k].start < r.end; ++k) {
      if (b[k].start > at) out.push_back({at, b[k].start});
      at = std::max(at, b[k].end);
    }
    if (at < r.end) out.push_back({at, r.end});
  }
  return out;
}

}  // namespace

std::vector<EngineDifference> diff_keep_rules(const KeepRuleSet& first, const KeepRuleSet& second) {
  std::map<FlowId, std::pair<const FlowRules*, const FlowRules*>> flows;
  for (const FlowRules& flow : first.flows) flows[id_of(flow)].first = &flow;
  for (const FlowRules& flow : second.flows) flows[id_of(flow)].second = &flow;
  std::vector<EngineDifference> differences;
  for (const auto& [id, pair] : flows) {
    const FlowRules& any = pair.first ? *pair.first : *pair.second;
    std::vector<Range> a = merged(pair.first), b = merged(pair.second);
    for (bool kept_by_first : {true, false})
      for (Range r : kept_by_first ? minus(a, b) : minus(b, a))
        differences.push_back({any.key, any.generation, r.start, r.end, kept_by_first});
  }
  return differences;
}

std::string describe(const EngineDifference& d, const std::string& first, const std::string& second) {
  auto endpoint = [&](const std::array<uint8_t, 16>& address, uint16_t port) {
    std::string text = address_to_string(d.key.family, address);
    return d.key.family == 6 ? fmt::format("[{}]:{}", text, port) : fmt::format("{}:{}", text, port);
  };
  return fmt::format("{} -> {} generation {}: bytes [{}, {}) kept only by {}", endpoint(d.key.src, d.key.sport),
                     endpoint(d.key.dst, d.key.dport), d.generation, d.seq_start, d.seq_end,
                     d.kept_by_first ? first : second);
}

}  // namespace pktmask

#include "marker/segment_look_ahead.h"

#include <algorithm>
#include <unordered_map>

namespace pktmask {

void add_look_ahead(KeepRuleSet& rules, const KeepRuleSet& next) {
  std::unordered_map<FlowKey, std::vector<const FlowRules*>, FlowKeyHash> continued;
  for (const FlowRules& flow : next.flows) continued[flow.key].push_back(&flow);
  for (FlowRules& flow : rules.flows) {
    auto found = continued.find(flow.key);
    if (found == continued.end()) continue;
    auto same = std::find_if(found->second.begin(), found->second.end(),
                             [&](const FlowRules* later) { return later->generation == flow.generation; });
    if (same == found->second.end()) continue;
    const FlowRules& later = **same;
    // The next segment's walk starts where this one's ended: before that
    // point it only repeats the rules it carried, after it everything is new.
    std::erase_if(flow.rules, [&](const KeepRule& rule) { return rule.seq_start >= flow.walk_end; });
    for (const KeepRule& rule : later.rules)
      if (rule.seq_start >= flow.walk_end) flow.rules.push_back(rule);
    flow.walk = later.walk;
    flow.walk_end = later.walk_end;
    flow.stop_reason = later.stop_reason;
  }
}

}  // namespace pktmask

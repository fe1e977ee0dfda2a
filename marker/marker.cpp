#include "marker.h"

#include <array>
#include <chrono>

namespace pktmask {

KeepRuleSet mark_capture(const MarkJob& job) {
  auto start = std::chrono::steady_clock::now();
  KeepRuleSet rules = job.engine == Engine::native ? mark_native(job) : mark_tshark(job);
  rules.stats.update(walk_statistics(rules));
  rules.stats["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return rules;
}

nlohmann::json walk_statistics(const KeepRuleSet& rules) {
  std::array<uint64_t, 3> by_walk{};
  std::array<uint64_t, 256> by_type{};
  uint64_t rule_count = 0;
  for (const FlowRules& flow : rules.flows) {
    ++by_walk[static_cast<size_t>(flow.walk)];
    rule_count += flow.rules.size();
    for (const KeepRule& rule : flow.rules) ++by_type[rule.content_type];
  }
  nlohmann::json records = nlohmann::json::object();
  for (int type : {20, 21, 22, 23, 24}) records[std::to_string(type)] = by_type[static_cast<size_t>(type)];
  return {
      {"flows", {{"tls", by_walk[0]}, {"stopped", by_walk[1]}, {"not_tls", by_walk[2]}}},
      {"records_by_type", records},
      {"rules", rule_count},
  };
}

}  // namespace pktmask

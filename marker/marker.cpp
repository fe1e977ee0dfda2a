#include "marker/marker.h"

#include <array>
#include <chrono>

#include "marker/engine_diff.h"

namespace pktmask {

namespace {

constexpr size_t kDifferencesListed = 100;

// Runs both engines and lists where they differ; the native rules are
// returned, for the caller to use when there is no difference.
KeepRuleSet mark_both(const MarkJob& job) {
  KeepRuleSet native = mark_native(job);
  KeepRuleSet tshark = mark_tshark(job, native);
  std::vector<EngineDifference> differences = diff_keep_rules(native, tshark);
  nlohmann::json listed = nlohmann::json::array();
  for (size_t i = 0; i < differences.size() && i < kDifferencesListed; ++i)
    listed.push_back(describe(differences[i], "native", tshark.engine));
  native.engine = "native (checked against " + tshark.engine + ")";
  native.stats["engine_differences"] = differences.size();
  native.stats["engine_differences_listed"] = listed;
  return native;
}

}  // namespace

KeepRuleSet mark_capture(const MarkJob& job) {
  auto start = std::chrono::steady_clock::now();
  KeepRuleSet rules = job.engine == Engine::native   ? mark_native(job)
                      : job.engine == Engine::tshark ? mark_tshark(job)
                                                     : mark_both(job);
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

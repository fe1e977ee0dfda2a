#include "marker/marker.h"

#include <chrono>

#include "marker/body_policy.h"
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
  for (size_t i = 0; i < differences.size() && i < kDifferencesListed; ++i)
    native.stats.engine_differences_listed.push_back(describe(differences[i], "native", tshark.engine));
  native.engine = "native (checked against " + tshark.engine + ")";
  native.stats.engine_differences = differences.size();
  return native;
}

}  // namespace

KeepRuleSet mark_capture(const MarkJob& job) {
  auto start = std::chrono::steady_clock::now();
  KeepRuleSet rules = job.engine == Engine::native   ? mark_native(job)
                      : job.engine == Engine::tshark ? mark_tshark(job)
                                                     : mark_both(job);
  apply_body_policy(job, rules);
  rules.stats.walks = walk_statistics(rules);
  rules.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return rules;
}

WalkStatistics walk_statistics(const KeepRuleSet& rules) {
  WalkStatistics walks;
  for (const FlowRules& flow : rules.flows) {
    ++(flow.walk == WalkStatus::tls ? walks.tls : flow.walk == WalkStatus::stopped ? walks.stopped : walks.not_tls);
    walks.rules += flow.rules.size();
    for (const KeepRule& rule : flow.rules)
      if (size_t i = size_t{rule.content_type} - kFirstTlsContentType;
          rule.type != RuleType::tls_body_part && i < kTlsContentTypeCount)
        ++walks.records_by_type[i];
  }
  return walks;
}

}  // namespace pktmask

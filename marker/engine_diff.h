#pragma once
// Compares the KeepRuleSets of two engines byte range by byte range, for
// `pktmask mark --engine both`.

#include <string>
#include <vector>

#include "common/keep_rules.h"

namespace pktmask {

struct EngineDifference {
  FlowKey key;
  uint32_t generation = 0;
  uint64_t seq_start = 0;
  uint64_t seq_end = 0;
  bool kept_by_first = false;  // else kept only by the second
};

std::vector<EngineDifference> diff_keep_rules(const KeepRuleSet& first, const KeepRuleSet& second);
std::string describe(const EngineDifference& difference, const std::string& first, const std::string& second);

}  // namespace pktmask

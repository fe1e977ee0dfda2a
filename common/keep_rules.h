#pragma once
// The KeepRuleSet: the one contract between marker and masker
// (docs/keep-rules.md). For every connection direction it lists the byte
// ranges, in 64-bit logical sequence space, that the masker must keep.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/fingerprint.h"
#include "common/flow_key.h"
#include "common/flow_tracker.h"
#include "common/mark_stats.h"
#include "common/policy.h"

namespace pktmask {

// Version 2 added `carried_directions`: rules for one segment of a split
// capture. Version 3 adds `policy`, the settings the rules were made under
// (masking policy version 2), and is the only version written. Rules of
// versions 1 and 2 were made under masking policy version 1, which is the
// tls-only profile: they read as made under it.
constexpr int kKeepRulesPolicyVersion = 3;
constexpr int kKeepRulesCarriedVersion = 2;
constexpr int kKeepRulesFirstVersion = 1;

enum class RuleType : uint8_t {
  tls_header,  // the 5-byte record header only (body masked)
  tls_record,  // header and body
  // A kept part of a record body, the rest of which is masked: what
  // handshake=anonymous|headers keeps of a Handshake record (its header is
  // a tls_header rule of its own).
  tls_body_part,
};

struct KeepRule {
  uint64_t seq_start = 0;  // inclusive
  uint64_t seq_end = 0;    // exclusive
  RuleType type = RuleType::tls_header;
  uint8_t content_type = 0;
};

enum class WalkStatus : uint8_t {
  tls,      // walked to the end of the captured data
  stopped,  // walked, then stopped for good (see stop_reason)
  not_tls,  // the first header was implausible or missing
};
const char* to_string(WalkStatus status);

struct FlowRules {
  FlowKey key;
  uint32_t generation = 0;
  uint64_t stream_start = 0;
  WalkStatus walk = WalkStatus::not_tls;
  uint64_t walk_end = 0;  // where the walk stopped (or the next header it expected)
  std::string stop_reason;
  std::vector<KeepRule> rules;  // sorted, non-overlapping
};

struct KeepRuleSet {
  std::string engine;
  std::string source_path;
  Fingerprint source;
  std::vector<FlowRules> flows;  // only directions with at least one rule or a walk verdict
  MarkStats stats;
  // The flow tracker's directions at the start of this capture segment, when
  // marking continued from a previous one (--state-in); empty otherwise.
  std::vector<DirectionState> carried_directions;
  PolicySettings policy;  // the settings the marker walked under
};

nlohmann::json direction_to_json(const DirectionState& direction);
DirectionState direction_from_json(const nlohmann::json& json);

// Serialises compactly: one line per flow, rules as [start, end, type, content_type].
void write_keep_rules(const KeepRuleSet& rules, std::string& out);
// Throws Error(bad_rules) naming `origin` on malformed or unsupported input.
KeepRuleSet parse_keep_rules(const std::string& text, const std::string& origin);
// Throws Error(bad_rules) naming both settings when `rules` were made under
// other settings than `wanted`: a masker must not apply them.
void check_rules_policy(const KeepRuleSet& rules, const PolicySettings& wanted, const std::string& shown);

}  // namespace pktmask

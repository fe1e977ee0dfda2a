#pragma once
// The effective settings of a run and where each came from: the profile
// (given on the command line, in the configuration file, or the built-in
// `default`) sets every value; the configuration file overrides the
// profile's, and command-line options override both.

#include <map>
#include <span>
#include <string>

#include "common/policy.h"
#include "config/policy_config.h"

namespace pktmask {

struct EffectivePolicy {
  PolicySettings settings;
  std::map<std::string, SettingOrigin, std::less<>> origins;  // by key; absent: the profile's value
};

// `assignments` in increasing precedence: the configuration file's, then the
// command line's. Throws Error(bad_config) for a bad configured value,
// Error(usage) for a bad option value.
EffectivePolicy resolve_policy(std::span<const PolicyAssignment> assignments);

// What --show-config prints: the policy version, one line per setting with
// its value and origin ("profile strict", "config FILE:LINE", "command
// line", "built-in default"), and the settings hash.
std::string show_config(const EffectivePolicy& policy);

}  // namespace pktmask

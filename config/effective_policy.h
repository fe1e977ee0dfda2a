#pragma once
// The effective settings of a run and where each came from: the profile
// (given on the command line, in the configuration file, or the built-in
// `default`) sets every value; the configuration file overrides the
// profile's, and command-line options override both.

#include <map>
#include <span>
#include <string>
#include <string_view>

#include "common/policy.h"
#include "config/policy_config.h"

namespace pktmask {

struct EffectivePolicy {
  PolicySettings settings;
  std::map<std::string, SettingOrigin, std::less<>> origins;  // by key; absent: the profile's value
};

// `assignments` in increasing precedence: the configuration file's, then the
// command line's. The anonymization keys among them are skipped (anon_config.h). Throws Error(bad_config) for a bad
// configured value, Error(usage) for a bad option value.
EffectivePolicy resolve_policy(std::span<const PolicyAssignment> assignments);

// Throws the error for a bad value: Error(bad_config) naming the file, line
// and key for a configured one, Error(usage) naming the option otherwise.
[[noreturn]] void bad_value(const PolicyAssignment& assignment, const std::string& error);

// One --show-config line: key, value and where the value came from
// ("profile strict", "config FILE:LINE", "command line", "built-in default").
std::string setting_line(std::string_view key, std::string_view value, const SettingOrigin& origin, Profile profile);

// What --show-config prints: the policy version, one line per setting with
// its value and origin ("profile strict", "config FILE:LINE", "command
// line", "built-in default"), and the settings hash.
std::string show_config(const EffectivePolicy& policy);

}  // namespace pktmask

#pragma once
// The anonymization settings by name (docs/usage.md, "ADDRESS ANONYMIZATION"):
// anonymize, key, anon-keep and anon-preserve, on the command line of the
// commands that mask and in a configuration file, layered as the policy's
// settings are (profile, then file, then options). Resolved apart from the
// policy on purpose: marking never depends on them, and they are not part of
// the settings hash.

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/anon/anon_settings.h"
#include "common/policy.h"
#include "common/policy_setting.h"
#include "config/policy_config.h"

namespace pktmask {

struct EffectiveAnon {
  AnonSettings settings;
  std::map<std::string, SettingOrigin, std::less<>> origins;  // by key; absent: the profile's or built-in value
};

// The four keys, in --show-config order.
std::span<const SettingKey> anon_setting_keys();
const SettingKey* find_anon_setting(std::string_view name);

// Sets `key` from its text form (as the option takes it); returns what is
// wrong with the value, or "" when it was set. anon-keep adds its prefixes.
std::string set_anon_setting(AnonSettings& settings, std::string_view key, std::string_view text);

// The anonymization a profile implies: ip and mac for strict, none otherwise.
AnonSettings profile_anon_settings(Profile profile);

// `assignments` in increasing precedence, as for resolve_policy (keys other
// than the four are skipped). anon-keep values of one source add up; a later
// source's replace an earlier one's. Throws Error(bad_config) for a bad
// configured value, Error(usage) for a bad option value.
EffectiveAnon resolve_anon(Profile profile, std::span<const PolicyAssignment> assignments);

// Every key and its text form, e.g. {"anonymize", "ip,mac"}, {"anon-keep",
// "192.0.2.0/24"}: what --show-config lists and batch children are given.
std::vector<std::pair<std::string, std::string>> anon_setting_texts(const AnonSettings& settings);

// The --show-config lines of the anonymization settings, with their origins.
std::string show_anon_config(const EffectiveAnon& anon, Profile profile);

}  // namespace pktmask

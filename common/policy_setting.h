#pragma once
// The policy settings by name (masking policy, section 9): the one table of
// keys that the command line, the configuration file and the recorded JSON
// share, and the one parser of their values. A value's text form is what the
// command line takes ("on", "handshake,alert", "53,443", "none") and what
// canonical_string() prints.

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/policy.h"

namespace pktmask {

enum class SettingKind : uint8_t {
  word,    // one of a few names
  on_off,  // "on" or "off"; a boolean in TOML and JSON
  names,   // a comma list of names, or "none"; an array of strings in TOML and JSON
  ports,   // a comma list of UDP ports, or "none"; an array of integers in TOML and JSON
};

struct SettingKey {
  std::string_view name;  // --NAME on the command line, NAME in a configuration file
  SettingKind kind;
  std::string_view values;  // what it accepts, for help and messages
  bool user_set;            // false: implied by the profile alone (scope)
  bool always_listed;       // false: in canonical_string() only when on (annotate)
};

// Every setting in canonical_string() order, `profile` first.
std::span<const SettingKey> setting_keys();
const SettingKey* find_setting(std::string_view name);

std::optional<Profile> profile_from_string(std::string_view name);

// Sets `key` from its text form; returns what is wrong with the value, or ""
// when it was set. `profile` sets only the name: profile_settings() gives the
// values a profile implies.
std::string set_setting(PolicySettings& settings, std::string_view key, std::string_view text);

// A comma list's items ("none" and "" are no items).
std::vector<std::string> split_list(std::string_view text);

}  // namespace pktmask

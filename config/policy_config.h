#pragma once
// A policy configuration file (TOML, `--config FILE`): its keys are the
// settings' names (docs/usage.md, "PROFILES AND OPTIONS"), each with the
// value its command-line option takes, typed: strings, booleans for on/off
// settings, arrays for lists. Validated as it is read, so that a mistake is
// reported with the file, the key and the line.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pktmask {

enum class SettingSource : uint8_t { built_in, profile, config, command_line };

struct SettingOrigin {
  SettingSource source = SettingSource::built_in;
  std::string file;  // config
  int64_t line = 0;  // config
};

// One setting given by a configuration file or on the command line, in its
// text form (policy_setting.h).
struct PolicyAssignment {
  std::string key;
  std::string text;
  SettingOrigin origin;
};

// Throws Error(bad_config) with one line "FILE:LINE: KEY: what is wrong"
// (or "FILE: ..." when the file cannot be read).
std::vector<PolicyAssignment> read_policy_config(const std::string& path);
// The same for text already read; `path` names it in messages.
std::vector<PolicyAssignment> parse_policy_config(std::string_view text, const std::string& path);

}  // namespace pktmask

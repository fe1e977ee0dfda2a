#include "config/effective_policy.h"

#include <fmt/format.h>

#include "common/errors.h"
#include "common/policy_setting.h"
#include "config/anon_config.h"

namespace pktmask {

[[noreturn]] void bad_value(const PolicyAssignment& assignment, const std::string& error) {
  if (assignment.origin.source == SettingSource::config)
    throw Error(ExitCode::bad_config,
                fmt::format("{}:{}: {}: {}", assignment.origin.file, assignment.origin.line, assignment.key, error));
  throw Error(ExitCode::usage, fmt::format("--{}: {}", assignment.key, error));
}

namespace {

std::string origin_text(const SettingOrigin& origin, Profile profile) {
  switch (origin.source) {
    case SettingSource::built_in:
      return "built-in default";
    case SettingSource::profile:
      return fmt::format("profile {}", to_string(profile));
    case SettingSource::config:
      return fmt::format("config {}:{}", origin.file, origin.line);
    case SettingSource::command_line:
      break;
  }
  return "command line";
}

}  // namespace

std::string setting_line(std::string_view key, std::string_view value, const SettingOrigin& origin, Profile profile) {
  return fmt::format("{:<10} = {:<30} # {}\n", key, value, origin_text(origin, profile));
}

EffectivePolicy resolve_policy(std::span<const PolicyAssignment> assignments) {
  EffectivePolicy policy;
  policy.origins["profile"] = {};
  for (const PolicyAssignment& assignment : assignments) {
    if (assignment.key != "profile") continue;
    if (std::string error = set_setting(policy.settings, "profile", assignment.text); !error.empty())
      bad_value(assignment, error);
    policy.origins["profile"] = assignment.origin;
  }
  policy.settings = profile_settings(policy.settings.profile);
  for (const PolicyAssignment& assignment : assignments) {
    if (assignment.key == "profile" || find_anon_setting(assignment.key) != nullptr) continue;
    if (std::string error = set_setting(policy.settings, assignment.key, assignment.text); !error.empty())
      bad_value(assignment, error);
    policy.origins[assignment.key] = assignment.origin;
  }
  return policy;
}

std::string show_config(const EffectivePolicy& policy) {
  std::string text = fmt::format("masking policy {}\n", kMaskingPolicyVersion);
  for (const auto& [key, value] : setting_texts(policy.settings)) {
    auto origin = policy.origins.find(key);
    SettingOrigin from = origin == policy.origins.end() ? SettingOrigin{SettingSource::profile, "", 0} : origin->second;
    text += setting_line(key, value, from, policy.settings.profile);
  }
  text += fmt::format("settings hash {}\n", settings_hash(policy.settings));
  return text;
}

}  // namespace pktmask

#include "cli/policy_options.h"

#include <fmt/format.h>

#include "cli/anon_options.h"
#include "common/policy_setting.h"
#include "config/anon_config.h"

namespace pktmask::cli {

namespace {

constexpr const char* kGroup = "Masking policy (docs/usage.md, PROFILES AND OPTIONS)";

std::string help(const SettingKey& key) {
  if (key.name == "profile") return "Named set of settings: default, tls-only (version 1: TCP payloads only), strict";
  return fmt::format("Set {} ({}), overriding the profile and --config", key.name, key.values);
}

// What the help shows after the option's name.
std::string metavar(const SettingKey& key) {
  switch (key.kind) {
    case SettingKind::names:
      return "LIST";
    case SettingKind::ports:
      return "PORTS";
    case SettingKind::word:
    case SettingKind::on_off:
      break;
  }
  return std::string(key.values);
}

}  // namespace

std::vector<PolicyAssignment> PolicyArguments::assignments() const {
  std::vector<PolicyAssignment> all;
  if (!config.empty()) all = read_policy_config(config);
  all.insert(all.end(), options.begin(), options.end());
  return all;
}

EffectivePolicy PolicyArguments::resolve() const { return resolve_policy(assignments()); }

// --show-config: the policy, then (for the commands that take them) the
// anonymization settings, which the settings hash leaves out.
std::string PolicyArguments::show() const {
  std::vector<PolicyAssignment> all = assignments();
  EffectivePolicy policy = resolve_policy(all);
  std::string text = show_config(policy);
  if (anonymization) text += show_anon_config(resolve_anon(policy.settings.profile, all), policy.settings.profile);
  return text;
}

void add_policy_options(CLI::App& command, PolicyArguments& arguments, Action& action,
                        WithAnonymization anonymization) {
  for (const SettingKey& key : setting_keys()) {
    if (!key.user_set) continue;
    std::string name(key.name);
    // A setting listed only when on is off unless its option is given: a flag.
    if (!key.always_listed) {
      command
          .add_flag_callback(
              "--" + name,
              [&arguments, name] {
                arguments.options.push_back({name, "on", {SettingSource::command_line, "", 0}});
              },
              fmt::format("Set {} on, overriding --config", name))
          ->group(kGroup);
      continue;
    }
    CLI::Validator valid(
        [name](std::string& text) {
          PolicySettings scratch;
          return set_setting(scratch, name, text);
        },
        "");
    command
        .add_option_function<std::string>(
            "--" + name,
            [&arguments, name](const std::string& text) {
              arguments.options.push_back({name, text, {SettingSource::command_line, "", 0}});
            },
            help(key))
        ->check(valid)
        ->type_name(metavar(key))
        ->group(kGroup);
  }
  if (anonymization == WithAnonymization::yes) add_anon_options(command, arguments);
  command.add_option("--config", arguments.config, "Read settings from a TOML FILE (keys as the options above)")
      ->type_name("FILE")
      ->group(kGroup);
  // Added last: its callback runs after those of the options above.
  command
      .add_flag_callback(
          "--show-config",
          [&arguments, &action] {
            action = [&arguments] { fmt::print("{}", arguments.show()); };
            throw ShowConfigRequested{};
          },
          "Print the effective settings, where each came from, and their hash; then exit")
      ->group(kGroup);
}

std::vector<std::string> policy_arguments(const PolicySettings& settings) {
  std::vector<std::string> arguments;
  for (const auto& [key, text] : setting_texts(settings)) {
    const SettingKey* setting = find_setting(key);
    if (!setting->user_set) continue;
    arguments.push_back("--" + key);
    if (setting->always_listed) arguments.push_back(text);
  }
  return arguments;
}

}  // namespace pktmask::cli

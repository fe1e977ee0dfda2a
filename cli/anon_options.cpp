#include "cli/anon_options.h"

#include <algorithm>
#include <filesystem>

#include <fmt/format.h>

#include "common/anon/anon_key.h"
#include "common/errors.h"
#include "config/anon_config.h"

namespace pktmask::cli {

namespace {

constexpr const char* kGroup = "Address anonymization (docs/usage.md, ADDRESS ANONYMIZATION)";

std::string help(const SettingKey& key) {
  if (key.name == "anonymize")
    return "Rewrite addresses with the keyed mapping: ip, mac, ip,mac or none (default: none; ip,mac in strict)";
  if (key.name == "key") return "The 32-byte key FILE (created, mode 0600, if missing); needed to anonymize";
  if (key.name == "anon-keep") return "Leave addresses in PREFIX unchanged (repeatable; e.g. 192.0.2.0/24)";
  return "Keep recognisable: special (loopback, multicast...), class (private stays private), oui; or none "
         "(default: special)";
}

std::string metavar(const SettingKey& key) {
  if (key.name == "key") return "FILE";
  if (key.name == "anon-keep") return "PREFIX";
  return "LIST";
}

}  // namespace

void add_anon_options(CLI::App& command, PolicyArguments& arguments) {
  arguments.anonymization = true;
  for (const SettingKey& key : anon_setting_keys()) {
    std::string name(key.name);
    CLI::Validator valid(
        [name](std::string& text) {
          AnonSettings scratch;
          return set_anon_setting(scratch, name, text);
        },
        "");
    auto assign = [&arguments, name](const std::string& text) {
      arguments.options.push_back({name, text, {SettingSource::command_line, "", 0}});
    };
    // Repeated --anon-keep options add up; the others take one value.
    CLI::Option* option =
        name == "anon-keep"
            ? command.add_option_function<std::vector<std::string>>(
                  "--" + name,
                  [assign](const std::vector<std::string>& texts) { std::ranges::for_each(texts, assign); }, help(key))
            : command.add_option_function<std::string>("--" + name, assign, help(key));
    option->check(valid)->type_name(metavar(key))->group(kGroup);
  }
}

AnonSettings resolve_anon_settings(const PolicyArguments& arguments, Profile profile) {
  return resolve_anon(profile, arguments.assignments()).settings;
}

AnonSetup masking_anon(const PolicyArguments& arguments, Profile profile) {
  AnonSetup setup{.settings = resolve_anon_settings(arguments, profile), .key = std::nullopt};
  if (!setup.settings.any()) return setup;
  if (setup.settings.key_path.empty())
    throw Error(ExitCode::usage,
                fmt::format("--anonymize {}{} needs a key: give --key FILE (created if missing), or --anonymize none",
                            anon_setting_texts(setup.settings).front().second,
                            profile == Profile::strict ? " (implied by the strict profile)" : ""));
  setup.key = load_or_create_key(setup.settings.key_path);
  return setup;
}

AnonSetup verifying_anon(const PolicyArguments& arguments, Profile profile) {
  AnonSetup setup{.settings = resolve_anon_settings(arguments, profile), .key = std::nullopt};
  if (!setup.settings.key_path.empty()) setup.key = load_key(setup.settings.key_path);
  return setup;
}

std::vector<std::string> anon_arguments(const AnonSettings& settings) {
  std::vector<std::string> arguments;
  for (auto [key, text] : anon_setting_texts(settings)) {
    if (key == "key") {
      if (settings.key_path.empty()) continue;
      text = std::filesystem::absolute(settings.key_path).string();
    }
    arguments.push_back("--" + key);
    arguments.push_back(text);
  }
  return arguments;
}

}  // namespace pktmask::cli

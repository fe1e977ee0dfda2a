#include "config/policy_config.h"

#include <fstream>
#include <sstream>

#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <toml++/toml.h>

#include "common/errors.h"
#include "common/policy_setting.h"
#include "config/anon_config.h"

namespace pktmask {

namespace {

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw Error(ExitCode::bad_config, fmt::format("{}: {}", where, what));
}

std::string type_expected(SettingKind kind) {
  switch (kind) {
    case SettingKind::on_off:
      return "a boolean (true or false)";
    case SettingKind::names:
      return "an array of strings";
    case SettingKind::ports:
      return "an array of integers";
    case SettingKind::word:
      break;
  }
  return "a string";
}

// The text form of a TOML value, or nothing when its type is wrong for `kind`.
std::optional<std::string> value_text(SettingKind kind, const toml::node& value) {
  switch (kind) {
    case SettingKind::word:
      return value.is_string() ? std::string(*value.value<std::string_view>()) : std::optional<std::string>();
    case SettingKind::on_off:
      return value.is_boolean() ? (*value.value<bool>() ? "on" : "off") : std::optional<std::string>();
    case SettingKind::names:
    case SettingKind::ports: {
      const toml::array* items = value.as_array();
      if (items == nullptr) return std::nullopt;
      std::vector<std::string> texts;
      for (const toml::node& item : *items) {
        if (kind == SettingKind::names ? !item.is_string() : !item.is_integer()) return std::nullopt;
        texts.push_back(kind == SettingKind::names ? std::string(*item.value<std::string_view>())
                                                   : std::to_string(*item.value<int64_t>()));
      }
      return texts.empty() ? "none" : fmt::format("{}", fmt::join(texts, ","));
    }
  }
  return std::nullopt;
}

}  // namespace

std::vector<PolicyAssignment> parse_policy_config(std::string_view text, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    bad(fmt::format("{}:{}", path, e.source().begin.line), fmt::format("not valid TOML: {}", e.description()));
  }
  std::vector<PolicyAssignment> assignments;
  for (const auto& [name, value] : table) {
    if (name.str() == "capture" && value.is_table()) continue;  // capture's own section (capture_config.h)
    int64_t line = name.source().begin.line;
    std::string where = fmt::format("{}:{}: {}", path, line, name.str());
    const SettingKey* anon_key = find_anon_setting(name.str());
    const SettingKey* key = anon_key != nullptr ? anon_key : find_setting(name.str());
    if (key == nullptr) bad(where, "unknown key (the keys are the options' names: profile, tls, handshake, ...)");
    if (!key->user_set) bad(where, "is set by the profile alone");
    std::optional<std::string> value_as_text = value_text(key->kind, value);
    if (!value_as_text) bad(where, fmt::format("must be {}", type_expected(key->kind)));
    PolicySettings scratch;
    AnonSettings anon_scratch;
    std::string error = anon_key != nullptr ? set_anon_setting(anon_scratch, key->name, *value_as_text)
                                            : set_setting(scratch, key->name, *value_as_text);
    if (!error.empty()) bad(where, error);
    assignments.push_back({std::string(key->name), *value_as_text, {SettingSource::config, path, line}});
  }
  return assignments;
}

std::vector<PolicyAssignment> read_policy_config(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || file.bad()) bad(path, "cannot read the configuration file");
  return parse_policy_config(text.str(), path);
}

}  // namespace pktmask

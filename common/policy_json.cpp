#include "common/policy_json.h"

#include <algorithm>
#include <stdexcept>

#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/policy_setting.h"

namespace pktmask {

namespace {

std::string json_name(std::string_view key) {
  std::string name(key);
  std::ranges::replace(name, '-', '_');
  return name;
}

nlohmann::json value_json(SettingKind kind, const std::string& text) {
  switch (kind) {
    case SettingKind::on_off:
      return text == "on";
    case SettingKind::names:
      return split_list(text);
    case SettingKind::ports: {
      nlohmann::json ports = nlohmann::json::array();
      for (const std::string& port : split_list(text)) ports.push_back(std::stoi(port));
      return ports;
    }
    case SettingKind::word:
      break;
  }
  return text;
}

// The text form of a recorded value, or nothing when its JSON type is wrong.
std::optional<std::string> value_text(SettingKind kind, const nlohmann::json& value) {
  switch (kind) {
    case SettingKind::word:
      return value.is_string() ? value.get<std::string>() : std::optional<std::string>();
    case SettingKind::on_off:
      return value.is_boolean() ? (value.get<bool>() ? "on" : "off") : std::optional<std::string>();
    case SettingKind::names:
    case SettingKind::ports: {
      if (!value.is_array()) return std::nullopt;
      std::vector<std::string> items;
      for (const nlohmann::json& item : value) {
        bool right_type = kind == SettingKind::names ? item.is_string() : item.is_number_integer();
        if (!right_type) return std::nullopt;
        items.push_back(item.is_string() ? item.get<std::string>() : item.dump());
      }
      return items.empty() ? "none" : fmt::format("{}", fmt::join(items, ","));
    }
  }
  return std::nullopt;
}

}  // namespace

nlohmann::json policy_to_json(const PolicySettings& settings) {
  nlohmann::json json = {{"version", kMaskingPolicyVersion}};
  for (const auto& [key, text] : setting_texts(settings))
    json[json_name(key)] = value_json(find_setting(key)->kind, text);
  json["hash"] = settings_hash(settings);
  return json;
}

PolicySettings policy_from_json(const nlohmann::json& json) {
  if (!json.is_object()) throw std::invalid_argument("policy: not an object");
  if (json.value("version", nlohmann::json()) != kMaskingPolicyVersion)
    throw std::invalid_argument(fmt::format("policy: version {} (this build knows {})",
                                            json.value("version", nlohmann::json()).dump(), kMaskingPolicyVersion));
  PolicySettings settings;
  for (const SettingKey& key : setting_keys()) {
    std::string name = json_name(key.name);
    if (!json.contains(name) && !key.always_listed) continue;
    if (!json.contains(name)) throw std::invalid_argument(fmt::format("policy: no \"{}\"", name));
    std::optional<std::string> text = value_text(key.kind, json.at(name));
    if (!text) throw std::invalid_argument(fmt::format("policy: \"{}\" has the wrong type", name));
    if (std::string error = set_setting(settings, key.name, *text); !error.empty())
      throw std::invalid_argument(fmt::format("policy: {}: {}", name, error));
  }
  if (json.value("hash", "") != settings_hash(settings))
    throw std::invalid_argument(fmt::format("policy: hash {} is not that of its settings ({})",
                                            json.value("hash", nlohmann::json()).dump(), settings_hash(settings)));
  return settings;
}

}  // namespace pktmask

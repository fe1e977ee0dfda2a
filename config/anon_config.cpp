#include "config/anon_config.h"

#include <array>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "config/effective_policy.h"

namespace pktmask {

namespace {

constexpr std::array kKeys{
    SettingKey{"anonymize", SettingKind::names, "ip,mac (either or both) or none", true, true},
    SettingKey{"key", SettingKind::word, "FILE", true, true},
    SettingKey{"anon-keep", SettingKind::names, "IP prefixes such as 192.0.2.0/24, or none", true, true},
    SettingKey{"anon-preserve", SettingKind::names, "special,class,oui (any of them) or none", true, true},
};

std::string set_kinds(AnonSettings& settings, std::string_view text) {
  bool ip = false, mac = false;
  for (const std::string& name : split_list(text)) {
    bool* kind = name == "ip" ? &ip : name == "mac" ? &mac : nullptr;
    if (kind == nullptr) return fmt::format("unknown address kind \"{}\" (ip, mac or none)", name);
    *kind = true;
  }
  settings.ip = ip;
  settings.mac = mac;
  return "";
}

std::string set_preserve(AnonSettings& settings, std::string_view text) {
  bool special = false, address_class = false, oui = false;
  for (const std::string& name : split_list(text)) {
    bool* kept = name == "special" ? &special : name == "class" ? &address_class : name == "oui" ? &oui : nullptr;
    if (kept == nullptr) return fmt::format("unknown \"{}\" (special, class, oui or none)", name);
    *kept = true;
  }
  settings.preserve_special = special;
  settings.preserve_class = address_class;
  settings.keep_oui = oui;
  return "";
}

std::string add_keep(AnonSettings& settings, std::string_view text) {
  if (text == "none") {
    settings.keep.clear();
    return "";
  }
  std::vector<IpPrefix> prefixes;
  for (const std::string& item : split_list(text)) {
    std::optional<IpPrefix> prefix = parse_prefix(item);
    if (!prefix) return fmt::format("\"{}\" is not an IP prefix (such as 192.0.2.0/24 or 2001:db8::/32)", item);
    prefixes.push_back(*prefix);
  }
  settings.keep.insert(settings.keep.end(), prefixes.begin(), prefixes.end());
  return "";
}

std::string kinds_text(const AnonSettings& settings) {
  if (settings.ip && settings.mac) return "ip,mac";
  return settings.ip ? "ip" : settings.mac ? "mac" : "none";
}

std::string preserve_text(const AnonSettings& settings) {
  std::vector<std::string_view> kept;
  if (settings.preserve_special) kept.push_back("special");
  if (settings.preserve_class) kept.push_back("class");
  if (settings.keep_oui) kept.push_back("oui");
  return kept.empty() ? "none" : fmt::format("{}", fmt::join(kept, ","));
}

std::string keep_text(const AnonSettings& settings) {
  std::vector<std::string> prefixes;
  for (const IpPrefix& prefix : settings.keep) prefixes.push_back(to_string(prefix));
  return prefixes.empty() ? "none" : fmt::format("{}", fmt::join(prefixes, ","));
}

}  // namespace

std::span<const SettingKey> anon_setting_keys() { return kKeys; }

const SettingKey* find_anon_setting(std::string_view name) {
  for (const SettingKey& key : kKeys)
    if (key.name == name) return &key;
  return nullptr;
}

std::string set_anon_setting(AnonSettings& settings, std::string_view key, std::string_view text) {
  if (key == "anonymize") return set_kinds(settings, text);
  if (key == "anon-preserve") return set_preserve(settings, text);
  if (key == "anon-keep") return add_keep(settings, text);
  if (key == "key") {
    if (text.empty()) return "must name a file";
    settings.key_path = text;
    return "";
  }
  return fmt::format("unknown key \"{}\"", key);
}

AnonSettings profile_anon_settings(Profile profile) {
  AnonSettings settings;
  settings.ip = settings.mac = profile == Profile::strict;
  return settings;
}

EffectiveAnon resolve_anon(Profile profile, std::span<const PolicyAssignment> assignments) {
  EffectiveAnon anon{.settings = profile_anon_settings(profile), .origins = {}};
  for (const PolicyAssignment& assignment : assignments) {
    if (find_anon_setting(assignment.key) == nullptr) continue;
    auto earlier = anon.origins.find(assignment.key);
    // Repeated --anon-keep options add up; a configuration file's list gives way to them.
    if (assignment.key == "anon-keep" &&
        (earlier == anon.origins.end() || earlier->second.source != assignment.origin.source))
      anon.settings.keep.clear();
    if (std::string error = set_anon_setting(anon.settings, assignment.key, assignment.text); !error.empty())
      bad_value(assignment, error);
    anon.origins[assignment.key] = assignment.origin;
  }
  return anon;
}

std::vector<std::pair<std::string, std::string>> anon_setting_texts(const AnonSettings& settings) {
  return {{"anonymize", kinds_text(settings)},
          {"key", settings.key_path.empty() ? "none" : settings.key_path},
          {"anon-keep", keep_text(settings)},
          {"anon-preserve", preserve_text(settings)}};
}

std::string show_anon_config(const EffectiveAnon& anon, Profile profile) {
  std::string text = "address anonymization (not in the settings hash)\n";
  for (const auto& [key, value] : anon_setting_texts(anon.settings)) {
    auto origin = anon.origins.find(key);
    SettingOrigin from = origin != anon.origins.end() ? origin->second
                         : key == "anonymize" && profile == Profile::strict
                             ? SettingOrigin{SettingSource::profile, "", 0}
                             : SettingOrigin{};
    text += setting_line(key, value, from, profile);
  }
  return text;
}

}  // namespace pktmask

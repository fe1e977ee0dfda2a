#include <algorithm>

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "config/anon_config.h"
#include "config/effective_policy.h"
#include "config/policy_config.h"

using namespace pktmask;

namespace {

PolicyAssignment option(const std::string& key, const std::string& text) {
  return {key, text, {SettingSource::command_line, "", 0}};
}

// The error's exit code and message, or "accepted".
std::pair<ExitCode, std::string> refusal(Profile profile, const std::vector<PolicyAssignment>& assignments) {
  try {
    resolve_anon(profile, assignments);
  } catch (const Error& e) {
    return {e.code(), e.what()};
  }
  return {ExitCode::ok, "accepted"};
}

}  // namespace

TEST_CASE("anonymization: off by default, ip and mac under strict, special preserved") {
  AnonSettings plain = resolve_anon(Profile::default_, {}).settings;
  CHECK_FALSE(plain.any());
  CHECK(plain.preserve_special);
  CHECK_FALSE(plain.preserve_class);
  CHECK_FALSE(plain.keep_oui);
  AnonSettings strict = resolve_anon(Profile::strict, {}).settings;
  CHECK(strict.ip);
  CHECK(strict.mac);
  CHECK(strict.key_path.empty());
  CHECK_FALSE(resolve_anon(Profile::tls_only, {}).settings.any());
}

TEST_CASE("anonymization: the file's keys, typed, with their lines; options win") {
  std::vector<PolicyAssignment> assignments = parse_policy_config(
      "anonymize = [\"ip\"]\nkey = \"/k/site.key\"\nanon-keep = [\"192.0.2.0/24\", \"2001:db8::/32\"]\n"
      "anon-preserve = [\"class\", \"oui\"]\n",
      "site.toml");
  REQUIRE(assignments.size() == 4);
  auto find = [&](const std::string& key) { return *std::ranges::find(assignments, key, &PolicyAssignment::key); };
  CHECK(find("anon-keep").text == "192.0.2.0/24,2001:db8::/32");
  CHECK(find("anon-preserve").origin.line == 4);
  EffectiveAnon anon = resolve_anon(Profile::strict, assignments);
  CHECK(anon.settings.ip);
  CHECK_FALSE(anon.settings.mac);
  CHECK(anon.settings.key_path == "/k/site.key");
  REQUIRE(anon.settings.keep.size() == 2);
  CHECK(anon.settings.keep[1].family == 6);
  CHECK_FALSE(anon.settings.preserve_special);
  CHECK(anon.settings.preserve_class);
  CHECK(anon.settings.keep_oui);
  CHECK(anon.origins.at("key").line == 2);

  assignments.push_back(option("anonymize", "none"));
  assignments.push_back(option("anon-keep", "198.51.100.0/24"));
  assignments.push_back(option("anon-keep", "203.0.113.7"));
  anon = resolve_anon(Profile::strict, assignments);
  CHECK_FALSE(anon.settings.any());
  // Repeated options add up and replace the file's list.
  REQUIRE(anon.settings.keep.size() == 2);
  CHECK(to_string(anon.settings.keep[0]) == "198.51.100.0/24");
  CHECK(anon.settings.keep[1].length == 32);
  CHECK(anon.origins.at("anon-keep").source == SettingSource::command_line);
}

TEST_CASE("anonymization: bad values name the file and line, or the option") {
  auto bad_file = [](const std::string& text) {
    try {
      parse_policy_config(text, "site.toml");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::bad_config);
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  CHECK(bad_file("anonymize = [\"ip\", \"mack\"]\n") ==
        "site.toml:1: anonymize: unknown address kind \"mack\" (ip, mac or none)");
  CHECK(bad_file("\nanonymize = \"ip\"\n") == "site.toml:2: anonymize: must be an array of strings");
  CHECK(bad_file("anon-keep = [\"10.0.0.1/8\"]\n").find("\"10.0.0.1/8\" is not an IP prefix") != std::string::npos);
  CHECK(bad_file("key = \"\"\n") == "site.toml:1: key: must name a file");
  auto [code, message] = refusal(Profile::default_, {option("anon-preserve", "special,vendor")});
  CHECK(code == ExitCode::usage);
  CHECK(message == "--anon-preserve: unknown \"vendor\" (special, class, oui or none)");
  std::tie(code, message) = refusal(Profile::default_, {option("anon-keep", "192.0.2.0/33")});
  CHECK(code == ExitCode::usage);
  CHECK(message.find("\"192.0.2.0/33\"") != std::string::npos);
}

TEST_CASE("anonymization stays out of the policy and its hash") {
  std::vector<PolicyAssignment> with{option("profile", "strict"), option("anonymize", "ip"),
                                     option("key", "/k/site.key"), option("anon-keep", "192.0.2.0/24")};
  std::vector<PolicyAssignment> without{option("profile", "strict")};
  CHECK(resolve_policy(with).settings == resolve_policy(without).settings);
  CHECK(settings_hash(resolve_policy(with).settings) == settings_hash(resolve_policy(without).settings));
}

TEST_CASE("show_anon_config: each setting and where it came from") {
  std::vector<PolicyAssignment> key{option("key", "site.key")};
  EffectiveAnon anon = resolve_anon(Profile::strict, key);
  CHECK(show_anon_config(anon, Profile::strict) ==
        "address anonymization (not in the settings hash)\n"
        "anonymize  = ip,mac                         # profile strict\n"
        "key        = site.key                       # command line\n"
        "anon-keep  = none                           # built-in default\n"
        "anon-preserve = special                        # built-in default\n");
}

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "config/effective_policy.h"
#include "config/policy_config.h"
#include "temp_dir.h"

using namespace pktmask;

namespace {

// The one-line message a bad configuration is refused with (exit 10).
std::string refusal(const std::string& text) {
  try {
    parse_policy_config(text, "site.toml");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::bad_config);
    return e.what();
  }
  return "accepted";
}

PolicyAssignment option(const std::string& key, const std::string& text) {
  return {key, text, {SettingSource::command_line, "", 0}};
}

}  // namespace

TEST_CASE("a configuration file: every key, typed, with its line") {
  std::string text =
      "# site policy\n"
      "profile = \"strict\"\n"
      "tls = [\"handshake\", \"alert\"]\n"
      "handshake = \"headers\"\n"
      "starttls = false\n"
      "keep-udp = [53, 5353]\n"
      "metadata = \"keep\"\n"
      "undecoded = \"zero\"\n"
      "dtls = true\n"
      "quic = false\n";
  std::vector<PolicyAssignment> got = parse_policy_config(text, "site.toml");
  REQUIRE(got.size() == 9);
  auto find = [&](const std::string& key) {
    for (const PolicyAssignment& a : got)
      if (a.key == key) return a;
    FAIL("no " << key);
    return PolicyAssignment{};
  };
  CHECK(find("profile").text == "strict");
  CHECK(find("profile").origin.line == 2);
  CHECK(find("profile").origin.file == "site.toml");
  CHECK(find("profile").origin.source == SettingSource::config);
  CHECK(find("tls").text == "handshake,alert");
  CHECK(find("starttls").text == "off");
  CHECK(find("keep-udp").text == "53,5353");
  CHECK(find("keep-udp").origin.line == 6);
  CHECK(find("dtls").text == "on");
  CHECK(find("quic").origin.line == 10);
  CHECK(parse_policy_config("tls = []\n", "x.toml").front().text == "none");
  CHECK(parse_policy_config("", "empty.toml").empty());
}

TEST_CASE("a configuration file: unknown keys, wrong types and bad values name the file, the line and the key") {
  CHECK(refusal("profile = \"default\"\n\nprofil = \"strict\"\n") ==
        "site.toml:3: profil: unknown key (the keys are the options' names: profile, tls, handshake, ...)");
  CHECK(refusal("handshake = \"partial\"\n") ==
        "site.toml:1: handshake: \"partial\": not one of the values it takes (full|anonymous|headers)");
  CHECK(refusal("\n\nstarttls = \"on\"\n") == "site.toml:3: starttls: must be a boolean (true or false)");
  CHECK(refusal("keep-udp = 53\n") == "site.toml:1: keep-udp: must be an array of integers");
  CHECK(refusal("keep-udp = [\"53\"]\n") == "site.toml:1: keep-udp: must be an array of integers");
  CHECK(refusal("keep-udp = [70000]\n").starts_with("site.toml:1: keep-udp: \"70000\": "));
  CHECK(refusal("tls = \"handshake\"\n") == "site.toml:1: tls: must be an array of strings");
  CHECK(refusal("scope = \"tcp\"\n") == "site.toml:1: scope: is set by the profile alone");
  CHECK(refusal("[policy]\nprofile = \"strict\"\n").starts_with("site.toml:1: policy: unknown key"));
  CHECK(refusal("profile = \"strict\"\nquic = \n").starts_with("site.toml:2: not valid TOML: "));
  CHECK(refusal("profile = \"strict\"\nprofile = \"default\"\n").starts_with("site.toml:2: not valid TOML: "));
}

TEST_CASE("reading a configuration file that is not there is a configuration error naming it") {
  test::TempDir dir;
  try {
    read_policy_config(dir.file("missing.toml"));
    FAIL("read a missing file");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::bad_config);
    CHECK(std::string(e.what()) == dir.file("missing.toml") + ": cannot read the configuration file");
  }
}

TEST_CASE("precedence: options over the file over the profile, wherever the profile is named") {
  std::vector<PolicyAssignment> config = parse_policy_config(
      "profile = \"strict\"\nkeep-udp = [53]\nhandshake = \"headers\"\nmetadata = \"keep\"\n", "site.toml");
  std::vector<PolicyAssignment> all = config;
  all.push_back(option("handshake", "full"));
  EffectivePolicy policy = resolve_policy(all);
  PolicySettings expected = profile_settings(Profile::strict);
  expected.keep_udp = {53};
  expected.metadata = MetadataMode::keep;
  expected.handshake = HandshakeDetail::full;
  CHECK(policy.settings == expected);  // handshake=full on the command line beats the file's headers
  CHECK(policy.origins.at("handshake").source == SettingSource::command_line);
  CHECK(policy.origins.at("keep-udp").line == 2);

  // A profile on the command line replaces the file's profile, not the file's settings.
  all.push_back(option("profile", "tls-only"));
  policy = resolve_policy(all);
  CHECK(policy.settings.profile == Profile::tls_only);
  CHECK(policy.settings.scope == MaskScope::tcp);
  CHECK(policy.settings.keep_udp == std::vector<uint16_t>{53});
  CHECK(policy.settings.undecoded == UndecodedMode::keep);  // tls-only's own

  CHECK(resolve_policy({}).settings == PolicySettings{});
}

TEST_CASE("show_config: every setting, its value and where it came from, then the hash") {
  std::vector<PolicyAssignment> all = parse_policy_config("\nkeep-udp = [53, 123]\n", "site.toml");
  all.push_back(option("profile", "strict"));
  EffectivePolicy policy = resolve_policy(all);
  PolicySettings settings = profile_settings(Profile::strict);
  settings.keep_udp = {53, 123};
  CHECK(show_config(policy) ==
        "masking policy 2\n"
        "profile    = strict                         # command line\n"
        "tls        = handshake,alert,ccs,heartbeat  # profile strict\n"
        "handshake  = anonymous                      # profile strict\n"
        "starttls   = off                            # profile strict\n"
        "keep-udp   = 53,123                         # config site.toml:2\n"
        "metadata   = scrub                          # profile strict\n"
        "undecoded  = zero                           # profile strict\n"
        "scope      = all                            # profile strict\n"
        "dtls       = off                            # profile strict\n"
        "quic       = off                            # profile strict\n"
        "settings hash " +
            settings_hash(settings) + "\n");
  CHECK(show_config(resolve_policy({})).find("profile    = default                        # built-in default\n") !=
        std::string::npos);
}

#include <catch2/catch.hpp>

#include "common/policy_json.h"
#include "common/policy_setting.h"
#include "config/effective_policy.h"

using namespace pktmask;

TEST_CASE("set_setting reads each setting's text form") {
  PolicySettings s;
  CHECK(set_setting(s, "tls", "alert,ccs").empty());
  CHECK(s.tls == TlsBodies{false, true, true, false});
  CHECK(set_setting(s, "tls", "none").empty());
  CHECK(s.tls == TlsBodies{false, false, false, false});
  CHECK(set_setting(s, "keep-udp", "5353,53,53").empty());
  CHECK(s.keep_udp == std::vector<uint16_t>{53, 5353});
  CHECK(set_setting(s, "keep-udp", "none").empty());
  CHECK(s.keep_udp.empty());
  CHECK(set_setting(s, "handshake", "headers").empty());
  CHECK(s.handshake == HandshakeDetail::headers);
  CHECK(set_setting(s, "starttls", "off").empty());
  CHECK_FALSE(s.starttls);
  CHECK_FALSE(set_setting(s, "starttls", "on").empty());
  CHECK(set_setting(s, "quic", "off").empty());
  CHECK_FALSE(s.quic);
  CHECK(set_setting(s, "metadata", "keep").empty());
  CHECK(s.metadata == MetadataMode::keep);
}

TEST_CASE("set_setting refuses bad values and leaves the setting as it was") {
  PolicySettings s;
  CHECK(set_setting(s, "keep-udp", "0") ==
        "\"0\": \"0\" is not a UDP port (1-65535) (UDP ports 1-65535, "
        "comma-separated, or none)");
  CHECK_FALSE(set_setting(s, "keep-udp", "65536").empty());
  CHECK_FALSE(set_setting(s, "keep-udp", "53,x").empty());
  CHECK_FALSE(set_setting(s, "keep-udp", "").empty());
  CHECK_FALSE(set_setting(s, "tls", "handshake,appdata").empty());
  CHECK_FALSE(set_setting(s, "handshake", "partial").empty());
  CHECK_FALSE(set_setting(s, "dtls", "true").empty());
  CHECK_FALSE(set_setting(s, "profile", "lenient").empty());
  CHECK(set_setting(s, "colour", "on") == "unknown setting \"colour\"");
  CHECK(s == PolicySettings{});
}

TEST_CASE("describe names the profile and only the settings that differ from it") {
  CHECK(describe(profile_settings(Profile::default_)) == "profile default");
  CHECK(describe(profile_settings(Profile::tls_only)) == "profile tls-only");
  PolicySettings s = profile_settings(Profile::strict);
  s.keep_udp = {53, 123};
  s.handshake = HandshakeDetail::full;
  CHECK(describe(s) == "profile strict, handshake=full, keep-udp=53,123");
}

TEST_CASE("policy JSON: typed values, the hash, and a faithful round trip") {
  PolicySettings s = profile_settings(Profile::strict);
  s.keep_udp = {53};
  s.tls.heartbeat = false;
  nlohmann::json json = policy_to_json(s);
  nlohmann::json expected = {{"version", 2},
                             {"profile", "strict"},
                             {"tls", {"handshake", "alert", "ccs"}},
                             {"handshake", "anonymous"},
                             {"starttls", false},
                             {"keep_udp", {53}},
                             {"metadata", "scrub"},
                             {"undecoded", "zero"},
                             {"scope", "all"},
                             {"dtls", false},
                             {"quic", false},
                             {"hash", settings_hash(s)}};
  CHECK(json == expected);
  CHECK(policy_from_json(json) == s);
  nlohmann::json wrong_type = json;
  wrong_type["dtls"] = "off";
  CHECK_THROWS_AS(policy_from_json(wrong_type), std::invalid_argument);
  nlohmann::json wrong_hash = json;
  wrong_hash["hash"] = "0000000000000000";
  CHECK_THROWS_AS(policy_from_json(wrong_hash), std::invalid_argument);
  nlohmann::json missing = json;
  missing.erase("quic");
  CHECK_THROWS_AS(policy_from_json(missing), std::invalid_argument);
  nlohmann::json future = json;
  future["version"] = 3;
  CHECK_THROWS_AS(policy_from_json(future), std::invalid_argument);
}

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "common/keep_rules.h"

using namespace pktmask;

namespace {

KeepRuleSet sample() {
  KeepRuleSet set;
  set.engine = "native";
  set.source_path = "in.pcap";
  set.source = {1234, 0xfeedface12345678ULL};
  FlowRules flow;
  address_from_string("fd00::1", flow.key.family, flow.key.src);
  address_from_string("fd00::2", flow.key.family, flow.key.dst);
  flow.key.sport = 443;
  flow.key.dport = 50000;
  flow.generation = 2;
  flow.stream_start = (1ULL << 32) + 77;
  flow.walk = WalkStatus::stopped;
  flow.walk_end = (1ULL << 33);
  flow.stop_reason = "implausible header";
  flow.rules = {{10, 20, RuleType::tls_record, 22}, {20, 25, RuleType::tls_header, 23}};
  set.flows.push_back(flow);
  return set;
}

}  // namespace

TEST_CASE("keep_rules round trip through JSON") {
  std::string text;
  write_keep_rules(sample(), text);
  KeepRuleSet back = parse_keep_rules(text, "test");
  REQUIRE(back.flows.size() == 1);
  const FlowRules& flow = back.flows[0];
  CHECK(back.engine == "native");
  CHECK(back.source == sample().source);
  CHECK(flow.key == sample().flows[0].key);
  CHECK(flow.generation == 2);
  CHECK(flow.stream_start == (1ULL << 32) + 77);
  CHECK(flow.walk == WalkStatus::stopped);
  CHECK(flow.stop_reason == "implausible header");
  REQUIRE(flow.rules.size() == 2);
  CHECK(flow.rules[1].type == RuleType::tls_header);
  CHECK(flow.rules[1].content_type == 23);
}

TEST_CASE("keep_rules: parts of a record body round trip as tls_body_part") {
  KeepRuleSet set = sample();
  set.flows[0].rules = {{10, 15, RuleType::tls_header, 22}, {15, 19, RuleType::tls_body_part, 22}};
  std::string text;
  write_keep_rules(set, text);
  CHECK(text.find("[15,19,\"tls_body_part\",22]") != std::string::npos);
  KeepRuleSet back = parse_keep_rules(text, "test");
  REQUIRE(back.flows[0].rules.size() == 2);
  CHECK(back.flows[0].rules[1].type == RuleType::tls_body_part);
  CHECK(back.flows[0].rules[1].seq_end == 19);
}

TEST_CASE("keep_rules carries the marker's statistics through the file unchanged") {
  KeepRuleSet set = sample();
  set.stats.decode.packets = 7;
  set.stats.decode.by_outcome[static_cast<size_t>(DecodeOutcome::tcp)] = 6;
  set.stats.decode.by_outcome[static_cast<size_t>(DecodeOutcome::truncated)] = 1;
  set.stats.truncation = Truncation{4096, 12};
  set.stats.walks = {.tls = 1, .stopped = 2, .not_tls = 3, .records_by_type = {0, 1, 4, 0, 0}, .rules = 5};
  set.stats.seconds = 0.25;
  set.stats.engine_differences = 1;
  set.stats.engine_differences_listed = {"a difference"};
  std::string text;
  write_keep_rules(set, text);
  // The layout of the statistics before --stats had a schema of its own.
  CHECK(text.find("\"flows\":{\"not_tls\":3,\"stopped\":2,\"tls\":1}") != std::string::npos);
  CHECK(text.find("\"records_by_type\":{\"20\":0,\"21\":1,\"22\":4,\"23\":0,\"24\":0}") != std::string::npos);
  CHECK(text.find("\"input_truncated_at\":4096") != std::string::npos);
  MarkStats back = parse_keep_rules(text, "test").stats;
  CHECK(back.decode.packets == 7);
  CHECK(back.decode.by_outcome == set.stats.decode.by_outcome);
  REQUIRE(back.truncation);
  CHECK(back.truncation->torn_bytes == 12);
  CHECK(back.walks.records_by_type == set.stats.walks.records_by_type);
  CHECK(back.engine_differences == 1);
  std::string again;
  write_keep_rules(parse_keep_rules(text, "test"), again);
  CHECK(again == text);
}

TEST_CASE("keep_rules rejects garbage, other formats and bad rules with exit code 4") {
  auto rejects = [](const std::string& text) {
    try {
      parse_keep_rules(text, "rules.json");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::bad_rules);
      CHECK(std::string(e.what()).find("rules.json") == 0);
      return true;
    }
    return false;
  };
  CHECK(rejects(""));
  CHECK(rejects("not json at all"));
  CHECK(rejects("{\"format\":\"something-else\"}"));
  std::string text;
  write_keep_rules(sample(), text);
  std::string newer = text;
  newer.replace(newer.find("\"version\":3"), 11, "\"version\":9");
  CHECK(rejects(newer));
  std::string overlapping = text;
  overlapping.replace(overlapping.find("[20,25"), 6, "[15,25");
  CHECK(rejects(overlapping));
  std::string truncated = text.substr(0, text.size() / 2);
  CHECK(rejects(truncated));
}

TEST_CASE("keep_rules records the settings the rules were made under, with their hash") {
  KeepRuleSet set = sample();
  set.policy = profile_settings(Profile::strict);
  set.policy.keep_udp = {53};
  std::string text;
  write_keep_rules(set, text);
  CHECK(text.find("\"version\":3") != std::string::npos);
  CHECK(text.find("\"profile\":\"strict\"") != std::string::npos);
  CHECK(text.find("\"keep_udp\":[53]") != std::string::npos);
  CHECK(parse_keep_rules(text, "test").policy == set.policy);
  // A hand-edited setting no longer matches the recorded hash.
  std::string edited = text;
  edited.replace(edited.find("\"keep_udp\":[53]"), 15, "\"keep_udp\":[54]");
  CHECK_THROWS_AS(parse_keep_rules(edited, "test"), Error);
}

TEST_CASE("keep_rules of versions 1 and 2 (no policy) read as made under the tls-only profile") {
  std::string text;
  write_keep_rules(sample(), text);
  size_t policy = text.find("\"policy\":");
  size_t end = text.find('}', policy);
  std::string old = text.substr(0, policy) + text.substr(end + 2);
  old.replace(old.find("\"version\":3"), 11, "\"version\":1");
  CHECK(old.find("policy") == std::string::npos);
  CHECK(parse_keep_rules(old, "old.json").policy == profile_settings(Profile::tls_only));
}

TEST_CASE("check_rules_policy refuses rules made under other settings, naming both") {
  KeepRuleSet set = sample();
  set.policy = profile_settings(Profile::tls_only);
  CHECK_NOTHROW(check_rules_policy(set, profile_settings(Profile::tls_only), "in.pcap"));
  try {
    check_rules_policy(set, profile_settings(Profile::default_), "in.pcap");
    FAIL("accepted rules of another profile");
  } catch (const Error& e) {
    std::string message = e.what();
    CHECK(e.code() == ExitCode::bad_rules);
    CHECK(message.find("profile tls-only") != std::string::npos);
    CHECK(message.find("profile default") != std::string::npos);
    CHECK(message.find(settings_hash(set.policy)) != std::string::npos);
    CHECK(message.find(settings_hash(profile_settings(Profile::default_))) != std::string::npos);
  }
}

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
  newer.replace(newer.find("\"version\":1"), 11, "\"version\":9");
  CHECK(rejects(newer));
  std::string overlapping = text;
  overlapping.replace(overlapping.find("[20,25"), 6, "[15,25");
  CHECK(rejects(overlapping));
  std::string truncated = text.substr(0, text.size() / 2);
  CHECK(rejects(truncated));
}

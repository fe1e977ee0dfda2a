#include <catch2/catch.hpp>

#include "masker/rule_index.h"
#include "packet_bytes.h"

using namespace pktmask;

namespace {

KeepRuleSet one_flow(std::vector<KeepRule> rules) {
  KeepRuleSet set;
  FlowRules flow;
  flow.key.family = 4;
  flow.key.sport = 1;
  flow.key.dport = 443;
  flow.rules = std::move(rules);
  set.flows.push_back(flow);
  return set;
}

}  // namespace

TEST_CASE("mask_payload keeps exactly the kept ranges") {
  std::vector<KeptRange> kept = {{10, 15}, {20, 22}};
  std::vector<uint8_t> payload(20, 0xff);  // covers 5..25
  MaskResult result = mask_payload(kept, 5, payload);
  CHECK(result.kept == 7);
  CHECK(result.masked == 13);
  for (size_t i = 0; i < payload.size(); ++i) {
    uint64_t seq = 5 + i;
    bool keep = (seq >= 10 && seq < 15) || (seq >= 20 && seq < 22);
    INFO("seq " << seq);
    CHECK(payload[i] == (keep ? 0xff : 0));
  }
}

TEST_CASE("mask_payload zeroes everything without ranges and handles ranges outside the payload") {
  std::vector<uint8_t> payload(8, 1);
  CHECK(mask_payload({}, 0, payload).masked == 8);
  std::vector<KeptRange> far = {{0, 2}, {100, 200}};
  std::vector<uint8_t> middle(8, 1);
  CHECK(mask_payload(far, 50, middle).kept == 0);
  std::vector<KeptRange> inside = {{0, 1000}};
  std::vector<uint8_t> all(8, 1);
  CHECK(mask_payload(inside, 50, all).kept == 8);
}

TEST_CASE("mask_payload given ranges out of order keeps no byte twice and writes only inside the payload") {
  std::vector<KeptRange> kept = {{10, 14}, {11, 12}, {8, 20}};
  std::vector<uint8_t> buffer(30, 0xff);
  std::span<uint8_t> payload = std::span(buffer).subspan(5, 20);  // covers 5..25
  MaskResult result = mask_payload(kept, 5, payload);
  CHECK(result.kept + result.masked == payload.size());
  for (size_t i = 0; i < 5; ++i) CHECK(buffer[i] == 0xff);
  for (size_t i = 25; i < buffer.size(); ++i) CHECK(buffer[i] == 0xff);
  for (size_t i = 0; i < payload.size(); ++i) {
    uint64_t seq = 5 + i;
    if (seq < 10 || seq >= 20) CHECK(payload[i] == 0);  // no range covers it, or only ranges behind the walk
  }
}

TEST_CASE("rule_index merges adjacent rules and finds by key and generation") {
  KeepRuleSet set = one_flow(
      {{0, 10, RuleType::tls_record, 22}, {10, 15, RuleType::tls_header, 23}, {40, 45, RuleType::tls_header, 23}});
  RuleIndex index(set);
  auto ranges = index.find(set.flows[0].key, 0);
  REQUIRE(ranges.size() == 2);
  CHECK(ranges[0].end == 15);
  CHECK(index.find(set.flows[0].key, 1).empty());
  FlowKey other = set.flows[0].key;
  other.sport = 2;
  CHECK(index.find(other, 0).empty());
}

TEST_CASE("mask_payload applies many small ranges from handshake body parts exactly, segment by segment") {
  // A record header, then every third byte kept (tls_body_part rules), over 3000 bytes.
  std::vector<KeepRule> rules = {{1000, 1005, RuleType::tls_header, 22}};
  for (uint64_t at = 1005; at < 4000; at += 3) rules.push_back({at, at + 1, RuleType::tls_body_part, 22});
  RuleIndex index(one_flow(rules));
  FlowKey key = one_flow({}).flows[0].key;
  std::span<const KeptRange> kept = index.find(key, 0);
  REQUIRE(kept.size() == rules.size() - 1);  // the header and the first part join
  for (uint64_t segment = 1000; segment < 4000; segment += 700) {
    std::vector<uint8_t> payload(std::min<uint64_t>(700, 4000 - segment), 0xff);
    MaskResult result = mask_payload(kept, segment, payload);
    uint64_t kept_bytes = 0;
    for (size_t i = 0; i < payload.size(); ++i) {
      uint64_t seq = segment + i;
      bool keep = seq < 1005 || (seq - 1005) % 3 == 0;
      kept_bytes += keep;
      INFO("seq " << seq);
      CHECK(payload[i] == (keep ? 0xff : 0));
    }
    CHECK(result.kept == kept_bytes);
    CHECK(result.masked == payload.size() - kept_bytes);
  }
}

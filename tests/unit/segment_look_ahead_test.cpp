// The look-ahead of a capture marked in segments: a packet lost in the first
// segment and retransmitted later, wherever the cut falls, leaves the first
// segment's rules, with the second's added, keeping what marking whole keeps.

#include <algorithm>
#include <map>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "mark_in_memory.h"
#include "marker/marker.h"
#include "marker/segment_look_ahead.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;

namespace {

constexpr uint32_t kServerIsn = 70000;

// Both directions talk; cuts fall inside record headers.
std::vector<Bytes> conversation() {
  test::TlsStream server = test::TlsStream().record(22, 60).record(20, 1).record(23, 7).record(23, 30);
  return test::interleaved_conversation(test::four_records().bytes, test::kFourRecordCuts, kServerIsn, server.bytes,
                                        {3, 66, 68, 80});
}

using Kept = std::map<uint16_t, std::vector<std::pair<uint64_t, uint64_t>>>;

// Each direction's rules, by source port, as the masker's index merges them.
Kept kept(const KeepRuleSet& rules) {
  Kept result;
  for (const FlowRules& flow : rules.flows) {
    std::vector<std::pair<uint64_t, uint64_t>> ranges;
    for (const KeepRule& rule : flow.rules) {
      if (!ranges.empty() && ranges.back().second == rule.seq_start)
        ranges.back().second = rule.seq_end;
      else
        ranges.emplace_back(rule.seq_start, rule.seq_end);
    }
    result[flow.key.sport] = std::move(ranges);
  }
  return result;
}

}  // namespace

TEST_CASE("a loss repaired in the next segment keeps, with the look-ahead, what marking whole keeps") {
  const std::vector<Bytes> clean = conversation();
  for (size_t lost = 2; lost + 2 < clean.size(); ++lost) {
    for (size_t later = 1; later <= 3 && lost + later < clean.size(); ++later) {
      std::vector<Bytes> packets = clean;
      Bytes retransmitted = packets[lost];
      packets.erase(packets.begin() + static_cast<ptrdiff_t>(lost));
      packets.insert(packets.begin() + static_cast<ptrdiff_t>(lost + later), retransmitted);
      KeepRuleSet whole = test::mark_in_memory(packets, nullptr, nullptr);
      for (size_t cut = 1; cut < packets.size(); ++cut) {
        CAPTURE(lost, later, cut);
        MarkState state;
        KeepRuleSet front =
            test::mark_in_memory({packets.begin(), packets.begin() + static_cast<ptrdiff_t>(cut)}, nullptr, &state);
        KeepRuleSet back =
            test::mark_in_memory({packets.begin() + static_cast<ptrdiff_t>(cut), packets.end()}, &state, nullptr);
        add_look_ahead(front, back);
        // A direction without payload in the front segment has nothing there to mask.
        Kept expected = kept(whole);
        std::erase_if(expected, [&](const auto& direction) { return !kept(front).contains(direction.first); });
        CHECK(kept(front) == expected);
      }
    }
  }
}

TEST_CASE("the look-ahead leaves other generations and directions the next segment does not continue alone") {
  KeepRuleSet rules;
  rules.flows.resize(2);
  rules.flows[0].key.sport = 1;
  rules.flows[0].walk_end = 20;
  rules.flows[0].rules = {{0, 5, RuleType::tls_header, 23}, {20, 25, RuleType::tls_header, 23}};
  rules.flows[1].key.sport = 2;
  rules.flows[1].rules = {{0, 5, RuleType::tls_header, 23}};
  KeepRuleSet next;
  next.flows.resize(2);
  next.flows[0].key.sport = 1;
  next.flows[0].generation = 1;  // a new connection on the same ports
  next.flows[0].rules = {{100, 105, RuleType::tls_header, 23}};
  next.flows[1].key.sport = 3;
  next.flows[1].rules = {{0, 5, RuleType::tls_header, 23}};
  KeepRuleSet before = rules;
  add_look_ahead(rules, next);
  CHECK(kept(rules) == kept(before));
}

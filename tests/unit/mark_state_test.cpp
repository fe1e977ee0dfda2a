// Resumable marking: a capture cut into two, the second half marked from the
// state the first handed on, keeps the bytes marking it whole keeps, at
// every place the cut can fall, record headers split across the halves included.

#include <map>

#include <catch2/catch.hpp>

#include "mark_in_memory.h"
#include "marker/marker.h"
#include "packet_bytes.h"
#include "temp_dir.h"

using namespace pktmask;
using test::Bytes;
using test::TlsStream;

namespace {

constexpr uint32_t kServerIsn = 70000;

TlsStream server_stream() { return TlsStream().record(22, 60).record(20, 1).record(23, 7); }

// Both directions talk, their packets interleaved; several cuts fall inside record headers.
std::vector<Bytes> conversation() {
  return test::interleaved_conversation(test::four_records().bytes, test::kFourRecordCuts, kServerIsn,
                                        server_stream().bytes, {3, 66, 68});
}

// What the conversation's streams are, stated independently of any marking.
KeepRuleSet built_rules() {
  KeepRuleSet rules;
  rules.flows.resize(2);
  rules.flows[0].key.sport = 40000;
  rules.flows[0].rules = test::four_records().rules(test::kStreamStart);
  rules.flows[1].key.sport = 443;
  rules.flows[1].rules = server_stream().rules(kLogicalBase + kServerIsn + 1);
  return rules;
}

// The bytes kept in each direction (by source port), as merged stretches of
// sequence numbers: "40000: 1001-1051 1151-1156".
std::string kept_text(std::initializer_list<const KeepRuleSet*> sets) {
  std::map<uint16_t, std::map<uint64_t, uint64_t>> kept;  // start -> end
  for (const KeepRuleSet* set : sets)
    for (const FlowRules& flow : set->flows)
      for (const KeepRule& rule : flow.rules) {
        uint64_t& end = kept[flow.key.sport][rule.seq_start - kLogicalBase];
        end = std::max(end, rule.seq_end - kLogicalBase);
      }
  std::string text;
  for (const auto& [port, stretches] : kept) {
    text += std::to_string(port) + ":";
    uint64_t start = 0, end = 0;
    for (auto [first, last] : stretches) {
      if (first > end) {
        if (end > start) text += " " + std::to_string(start) + "-" + std::to_string(end);
        start = first;
      }
      end = std::max(end, last);
    }
    text += " " + std::to_string(start) + "-" + std::to_string(end) + "; ";
  }
  return text;
}

}  // namespace

TEST_CASE("marking in two halves with carried state keeps what marking whole keeps, wherever the cut falls") {
  std::vector<Bytes> packets = conversation();
  KeepRuleSet whole = test::mark_in_memory(packets, nullptr, nullptr);
  KeepRuleSet built = built_rules();
  REQUIRE(kept_text({&whole}) == kept_text({&built}));
  for (size_t cut = 1; cut < packets.size(); ++cut) {
    CAPTURE(cut);
    std::vector<Bytes> first(packets.begin(), packets.begin() + static_cast<ptrdiff_t>(cut));
    std::vector<Bytes> second(packets.begin() + static_cast<ptrdiff_t>(cut), packets.end());
    MarkState state;
    KeepRuleSet front = test::mark_in_memory(first, nullptr, &state);
    KeepRuleSet back = test::mark_in_memory(second, &state, nullptr);
    CHECK(kept_text({&front, &back}) == kept_text({&whole}));
    // The second half ends each walk where marking whole ended it.
    REQUIRE(back.flows.size() == whole.flows.size());
    for (size_t i = 0; i < whole.flows.size(); ++i) {
      CHECK(back.flows[i].key == whole.flows[i].key);
      CHECK(back.flows[i].walk == whole.flows[i].walk);
      CHECK(back.flows[i].walk_end == whole.flows[i].walk_end);
    }
  }
}

TEST_CASE("the state between the halves survives its file") {
  test::TempDir dir;
  std::vector<Bytes> packets = conversation();
  size_t cut = 5;  // inside the client's second record header
  MarkState state;
  KeepRuleSet front =
      test::mark_in_memory({packets.begin(), packets.begin() + static_cast<ptrdiff_t>(cut)}, nullptr, &state);
  write_mark_state(dir.file("state.json"), state);
  MarkState read = read_mark_state(dir.file("state.json"));
  KeepRuleSet back =
      test::mark_in_memory({packets.begin() + static_cast<ptrdiff_t>(cut), packets.end()}, &read, nullptr);
  KeepRuleSet whole = test::mark_in_memory(packets, nullptr, nullptr);
  CHECK(kept_text({&front, &back}) == kept_text({&whole}));
}

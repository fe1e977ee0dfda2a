#pragma once
// Per-outcome packet counts, reported in --stats by both stages.

#include <array>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "common/decode/decoded_packet.h"

namespace pktmask {

struct DecodeCounters {
  uint64_t packets = 0;
  std::array<uint64_t, kDecodeOutcomeCount> by_outcome{};
  uint64_t fragment_bytes_unjudged = 0;

  void count(const DecodedPacket& decoded) {
    ++packets;
    ++by_outcome[static_cast<size_t>(decoded.outcome)];
    fragment_bytes_unjudged += decoded.fragment_bytes;
  }
  // {"packets", "decode": {outcome: count}, "fragment_bytes_unjudged"}: the
  // same keys in the KeepRuleSet's stats and in --stats.
  nlohmann::json to_json() const;
};
DecodeCounters decode_counters_from_json(const nlohmann::json& json);  // missing keys read as 0

}  // namespace pktmask

#include "common/decode_counters.h"

namespace pktmask {

nlohmann::json DecodeCounters::to_json() const {
  nlohmann::json outcomes = nlohmann::json::object();
  for (size_t i = 0; i < kDecodeOutcomeCount; ++i) outcomes[to_string(static_cast<DecodeOutcome>(i))] = by_outcome[i];
  return {{"packets", packets}, {"decode", outcomes}, {"fragment_bytes_unjudged", fragment_bytes_unjudged}};
}

DecodeCounters decode_counters_from_json(const nlohmann::json& json) {
  DecodeCounters counters;
  counters.packets = json.value("packets", uint64_t{0});
  nlohmann::json outcomes = json.value("decode", nlohmann::json::object());
  for (size_t i = 0; i < kDecodeOutcomeCount; ++i)
    counters.by_outcome[i] = outcomes.value(to_string(static_cast<DecodeOutcome>(i)), uint64_t{0});
  counters.fragment_bytes_unjudged = json.value("fragment_bytes_unjudged", uint64_t{0});
  return counters;
}

}  // namespace pktmask

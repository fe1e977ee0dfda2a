#include "common/decode_counters.h"

namespace pktmask {

nlohmann::json DecodeCounters::to_json() const {
  nlohmann::json outcomes = nlohmann::json::object();
  for (size_t i = 0; i < kDecodeOutcomeCount; ++i) outcomes[to_string(static_cast<DecodeOutcome>(i))] = by_outcome[i];
  return {{"packets", packets}, {"decode", outcomes}, {"fragment_bytes_unjudged", fragment_bytes_unjudged}};
}

}  // namespace pktmask

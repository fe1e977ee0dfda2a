#pragma once
// What the masker counts, reported by --stats (cli/stats_json.h) and by the
// capture pipeline's events.

#include <cstdint>
#include <optional>

#include "common/decode_counters.h"
#include "common/truncation.h"

namespace pktmask {

struct MaskCounters {
  uint64_t tcp_payload_bytes_kept = 0;
  uint64_t tcp_payload_bytes_masked = 0;
  uint64_t checksums_fixed = 0;
  uint64_t checksums_left_unverified = 0;  // input's did not verify (offload, truncation)
  uint64_t outer_checksums_fixed = 0;
  uint64_t outer_checksums_left_unverified = 0;
};

struct MaskStats {
  DecodeCounters decode;
  MaskCounters payload;
  uint64_t secrets_blocks_removed = 0;
  uint64_t bytes_written = 0;
  std::optional<Truncation> truncation;  // the input's torn last record, left out
  double seconds = 0;
};

}  // namespace pktmask

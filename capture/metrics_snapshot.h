#pragma once
// The metric set of a capture (docs/capture.md, "Monitoring") as plain data:
// the manager fills a snapshot from its state, capture/metrics_text.cpp
// renders it. The counters are the --stats summary's, so the two agree.

#include <cstdint>
#include <optional>
#include <string>

#include "capture/capture_stats.h"

namespace pktmask {

// What stays the same for a whole run.
struct MetricsIdentity {
  std::string capture_id;
  std::string key;  // the constant label that tells captures on one host apart
  double start_time_seconds = 0;
  uint64_t backlog_limit = 0;  // --max-backlog
};

// What changes as the run goes on.
struct MetricsSnapshot {
  bool up = true;                                // false in the last snapshot, which has the exit code
  CaptureSummary counters{};                     // as --stats; its exit_code counts only when !up
  uint64_t backlog = 0;                          // closed raw segments waiting to be sanitized
  std::optional<int64_t> last_packet_time_us{};  // capture time of the newest closed segment's last packet
};

}  // namespace pktmask

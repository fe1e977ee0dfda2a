#pragma once
// What the capture pipeline's threads tell each other. Commands flow from the
// manager to the workers; reports flow back to the manager, which alone owns
// the capture's state and turns every report into an NDJSON event.

#include <cstdint>
#include <string>

#include "capture/capture_stats.h"

namespace pktmask {

enum class MessageKind {
  // Commands.
  start,
  stop,    // finish the current work, then end
  cancel,  // end at once, discarding unfinished work
  credit,  // a raw segment is gone: a replay may write one more
  reload,  // SIGHUP: read the cleaner's settings again
  // The contract's messages (docs/capture.md, "Events").
  started,     // the capture worker runs
  progress,    // the capture's stats, as packets flow
  heartbeat,   // a worker is alive, packets or not
  file_ready,  // a sanitized segment is in the output directory
  finished,    // the run ended (manager), in batches of result files
  failed,      // the run failed (manager)
  // The workers' own reports.
  raw_closed,        // capture: a raw segment to sanitize
  capture_ended,     // capture: the worker stopped
  capture_failed,    // capture: the source or the raw disk failed
  sanitize_started,  // sanitizer: a segment's sanitizing began
  sanitize_failed,   // sanitizer: a segment could not be sanitized
  worker_done,       // sanitizer, cleaner: the worker has nothing left to do
  // Cleaner reports.
  file_enqueued,
  stored,
  compressed,
  compress_failed,
  deleted,
  clean_failed,
  clean_config_refresh,  // to the cleaner: new settings; from it: now applied
};

enum class Actor { manager, capture, sanitizer, cleaner, signals };

struct Message {
  MessageKind kind = MessageKind::progress;
  Actor from = Actor::manager;
  std::string capture_id{};
  uint64_t version = 0;  // per sender and capture, increasing: a repeat is a duplicate
  int64_t ts_usec = 0;   // wall clock, microseconds since the epoch
  uint64_t segment = 0;  // 1-based segment index, 0 when not about a segment
  std::string path{};
  int error_code = 0;       // ExitCode of a failure
  std::string error_msg{};  // the failure's one-line message
  MessageDetail detail{};   // what the kind carries, copied into the event
};

const char* kind_name(MessageKind kind);
const char* actor_name(Actor actor);
int64_t now_us();

}  // namespace pktmask

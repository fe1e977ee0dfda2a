#pragma once
// The sanitize worker: marks each closed raw segment with the native engine,
// carrying the connection state from one segment to the next, masks it into
// the output directory, makes the sanitized copy durable and only then
// deletes the raw segment. Segments are taken strictly in order, because
// each one continues the state of the one before.
//
// With a look-ahead (hold_seconds > 0), a marked segment waits to be masked
// until the next one is marked, so that a loss repaired by a retransmission
// in the next segment keeps the record headers behind it
// (marker/segment_look_ahead.h); or until it has waited hold_seconds of wall
// time, or the capture ended, when it is masked on its own.

#include <string>

#include "capture/message.h"
#include "capture/message_queue.h"
#include "capture/outbox.h"
#include "common/anon/anon_setup.h"
#include "common/output_check.h"
#include "common/policy.h"

namespace pktmask {

struct SanitizeConfig {
  std::string output_dir;  // absolute: file_ready names absolute paths
  std::string name_template;
  std::string capture_id;
  int64_t flow_timeout_us = 0;     // forget directions quiet this long (capture time); 0: never
  double hold_seconds = 0;         // the look-ahead's longest wait (wall time); 0: none
  SegmentCheckFactory self_check;  // checks each sanitized segment before it is published; empty: none
  PolicySettings policy;           // what each segment is marked and masked under
  AnonSetup anon;                  // how each segment's addresses are anonymized
};

// Takes `raw_closed` messages until the queue closes, reporting
// `sanitize_started` and `file_ready` (or `sanitize_failed`) for each, then
// `worker_done`. A segment that fails is deleted unsanitized; so are the
// ones after it, whose connection state it would have carried.
void run_sanitize_worker(MessageQueue<Message>& segments, const SanitizeConfig& config, Outbox& out);

}  // namespace pktmask

#pragma once
// The capture worker: reads the source, writes raw segments, rotates them
// and reports each closed one to the manager. It never waits for
// sanitizing, so a slow sanitizer cannot make the capture lose packets.

#include <cstdint>
#include <string>

#include "capture/message.h"
#include "capture/message_queue.h"
#include "capture/outbox.h"
#include "capture/packet_source.h"
#include "capture/process_watch.h"

namespace pktmask {

struct CaptureWorkerConfig {
  std::string raw_dir;
  // Rotation: a new segment starts before the packet that would exceed one of these (0: unused).
  uint64_t rotate_bytes = 0;
  int64_t rotate_seconds = 0;
  uint64_t rotate_packets = 0;
  // Limits of the whole capture (0: none).
  double duration_seconds = 0;
  uint64_t max_bytes = 0;
  uint64_t max_packets = 0;
  // A replay can wait for the sanitizer, a live capture cannot: with this
  // set, no new segment starts while this many closed ones wait (one credit
  // command comes back for each sanitized segment).
  uint64_t wait_at_backlog = 0;
  // --pid, --container: when this process exits, the capture closes its
  // segment and ends with run_process_died (its segments are sanitized).
  const ProcessWatch* target = nullptr;
  double heartbeat_seconds = 10;  // a heartbeat this often, packets or not
};

// Reports `started`, `progress`, `heartbeat`, `raw_closed` for each closed
// segment, and ends with `capture_ended` or `capture_failed`. Commands: stop (close the
// current segment normally), cancel (discard it), credit.
void run_capture_worker(PacketSource& source, const CaptureWorkerConfig& config, MessageQueue<Message>& commands,
                        Outbox& out);

}  // namespace pktmask

#pragma once
// Everything `pktmask capture` is told on its command line.

#include <functional>
#include <string>

#include "capture/capture_worker.h"
#include "capture/cleaner_settings.h"
#include "capture/config_snapshot.h"
#include "capture/metrics_publisher.h"
#include "capture/packet_source.h"
#include "common/anon/anon_setup.h"
#include "common/output_check.h"
#include "common/policy.h"

namespace pktmask {

struct CaptureOptions {
  LiveOptions live;                                 // used when `replay` is empty
  std::string replay;                               // -r FILE, "-" for stdin
  TornTail replay_torn_tail = TornTail::leave_out;  // --strict-input: refuse
  std::string output_dir;
  std::string raw_parent;  // where the private raw directory goes; empty: output_dir
  std::string name_template = "capture-{time}-{index}.{ext}";
  CaptureWorkerConfig worker;         // rotation and limits; raw_dir is filled in at start
  uint64_t max_backlog = 4;           // closed raw segments waiting to be sanitized, the held one too
  double hold_seconds = 60;           // a segment waits at most this long for the next (look-ahead); 0: no wait
  double flow_timeout_seconds = 600;  // carried state of directions quiet this long is forgotten; 0: never
  std::string events;                 // NDJSON events: file, "-", or "" for none
  std::string stats;                  // final summary as JSON: file, "-", or ""
  std::string key_name;               // every event's `key`; empty: output_dir as given
  double heartbeat_seconds = 10;      // capture and cleaner heartbeats, packets or not
  double stop_timeout_seconds = 30;   // after a first signal: exit 202 if the stop takes longer
  CleanerSettings cleaner;
  // SIGHUP: the cleaner's settings read again from the --config file, under
  // the command line's (throws Error when the file is wrong); empty: none.
  std::function<CleanerSettings()> reread_cleaner;
  ConfigSnapshot config;  // for the `start` event
  MetricsTargets metrics;             // --metrics-file, --metrics-listen
  bool progress = true;
  SegmentCheckFactory self_check;  // see SanitizeConfig
  PolicySettings policy;           // what every segment is marked and masked under
  AnonSetup anon;                  // the address anonymization of every segment (one key: one mapping)
};

// Runs a whole capture; returns the exit status (0, or an ExitCode).
int run_capture(const CaptureOptions& options);

}  // namespace pktmask

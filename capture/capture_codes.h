#pragma once
// Failure codes of `pktmask capture`, grouped by when they happen. A start or
// run failure is also the process exit status (all are below 256); clean-up
// failures are reported in events but do not change the exit status.
// docs/capture.md lists them with what to do about each.

namespace pktmask {

enum class CaptureCode : int {
  ok = 0,
  // Start: nothing was captured; whatever the start created is rolled back.
  no_such_interface = 101,
  permission_denied = 102,
  output_dir_unusable = 103,
  bad_filter = 104,
  bad_replay_input = 105,
  raw_dir_unusable = 106,
  events_unwritable = 107,
  // Run: the capture stopped early; every raw segment was sanitized or deleted.
  backlog_exceeded = 201,
  raw_write_failed = 202,
  source_failed = 203,
  sanitize_failed = 204,
  raw_not_deleted = 205,
  // Clean-up: the sanitized segments are safe, housekeeping fell short.
  compress_failed = 301,
  retention_failed = 302,
};

}  // namespace pktmask

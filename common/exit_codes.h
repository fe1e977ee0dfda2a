#pragma once
// Every exit code of pktmask, by name, with what it means. docs/usage.md
// (EXIT STATUS) and docs/capture.md (exit status and error codes) document
// them for users; a code's number never changes once it is released.

namespace pktmask {

enum class ExitCode : int {
  ok = 0,
  internal = 1,             // a bug
  usage = 2,                // the command line is wrong
  bad_capture = 3,          // the capture is unreadable, not a capture, corrupt, or cut short with --strict-input
  bad_rules = 4,            // the rules are unreadable, malformed, or made from another capture
  output_failed = 5,        // the output cannot be written
  tshark_failed = 6,        // tshark is missing, too old, failed, or printed something unexpected
  verification_failed = 7,  // verify or the self-check found leaked, lost or changed bytes
  some_files_failed = 8,    // batch sanitize: some files failed, the others are complete
  engines_differ = 9,       // --engine both: the engines keep different bytes
  bad_config = 10,          // the --config file is unreadable, not TOML, or has an unknown key or a bad value
  bad_key = 11,             // the --key file cannot be read or created, is not 32 bytes, or others may read it
  interrupted = 130,        // SIGINT or SIGTERM; cleanly stopped

  // `pktmask capture` only: the capture system's contract (docs/capture.md,
  // "Error codes"). Every capture failure, a bad command line included, ends
  // with one of these, in its events and as the exit status.
  // Start: nothing was captured; whatever the start created is rolled back.
  start_invalid_params = 100,       // bad options or configuration, a bad BPF filter
  start_no_permission = 101,        // no permission to capture or to enter the target's namespace
  start_interface_not_found = 102,  // no such interface (in the target's namespace)
  start_process_not_found = 103,    // the --pid process or --container does not exist
  start_capture_failed = 104,       // libpcap or the replay input cannot start for another reason
  start_create_file_failed = 105,   // OUTDIR, the raw directory or the events file cannot be created
  // Run: the capture stopped early; every raw segment was sanitized or deleted.
  run_capture_died = 200,      // the interface went away, or a replayed record is corrupt
  run_disk_full = 201,         // a segment could not be written or sanitized
  run_timeout = 202,           // a graceful stop did not finish within --stop-timeout
  run_cancelled = 203,         // a second signal: raw data deleted, not sanitized
  run_process_died = 204,      // the --pid / --container process exited; what was captured is sanitized
  run_backlog_exceeded = 205,  // sanitizing fell behind: more than --max-backlog raw segments waited
  // Clean-up: the sanitized segments are safe, housekeeping fell short.
  clean_compress_failed = 300,  // compressing failed; the sanitized segment is kept
  clean_delete_failed = 301,    // a file could not be deleted
  clean_disk_full = 302,        // a disk limit cannot be met
};

}  // namespace pktmask

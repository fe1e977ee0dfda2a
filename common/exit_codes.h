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

  // `pktmask capture` only, numbered by when they happen.
  // Start: nothing was captured; whatever the start created is rolled back.
  no_such_interface = 101,    // or libpcap cannot open it
  permission_denied = 102,    // no permission to capture
  output_dir_unusable = 103,  // OUTDIR cannot be created or written
  bad_filter = 104,           // the BPF filter does not compile
  bad_replay_input = 105,     // the replay input cannot be opened or is not a capture
  raw_dir_unusable = 106,     // the raw directory cannot be created or written
  events_unwritable = 107,    // the --events file cannot be opened
  // Run: the capture stopped early; every raw segment was sanitized or deleted.
  backlog_exceeded = 201,  // sanitizing fell behind: more than --max-backlog raw segments waited
  raw_write_failed = 202,  // a raw segment could not be written
  source_failed = 203,     // the interface went away, or a replayed record is corrupt
  sanitize_failed = 204,   // a segment could not be sanitized
  raw_not_deleted = 205,   // a raw segment could not be deleted after sanitizing
  // Clean-up: the sanitized segments are safe, housekeeping fell short.
  // Reported in events; the exit status stays what it was.
  compress_failed = 301,   // compressing a segment failed
  retention_failed = 302,  // retention could not delete a file, or cannot meet a limit
};

}  // namespace pktmask

#pragma once
// Bulk form of `pktmask verify`: ORIG_DIR SAN_DIR. Each capture of ORIG_DIR
// (-R: and of its subdirectories) is paired with the file batch
// `sanitize -O SAN_DIR` named for it (batch_files.h) and verified by a child
// `pktmask verify`, N pairs at a time (child_pool.h). A capture in SAN_DIR
// that no original maps to fails too: nothing unverified is shared. See
// docs/usage.md, "verify".

#include <string>

#include "common/anon/anon_settings.h"
#include "common/policy.h"

namespace pktmask::cli {

struct BulkVerifyOptions {
  std::string original_dir;
  std::string sanitized_dir;
  bool recursive = false;
  unsigned jobs = 1;  // pairs at a time; 0: one per CPU
  bool json = false;
  bool tshark = true;
  std::string tshark_binary;
  size_t max_report = 10;
  bool strict_input = false;
  bool progress = true;   // the status line, on a terminal only
  PolicySettings policy;  // given to every child as options
  AnonSettings anon;
};

// Whether verify's two arguments are directories (the bulk form). One
// directory and one file: Error(usage).
bool is_bulk_verify(const std::string& original, const std::string& sanitized);

// Prints one line per failed pair and a summary (or one JSON object) on
// stdout; throws Error(verification_failed) when any pair failed,
// Error(interrupted) on SIGINT/SIGTERM.
void run_bulk_verify(const BulkVerifyOptions& options);

}  // namespace pktmask::cli

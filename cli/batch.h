#pragma once
// Batch mode of `pktmask sanitize`: many captures (files, directories of
// *.pcap/*.pcapng/*.cap, also compressed as .gz or .zst, optionally
// recursive) into one output directory that mirrors their relative paths
// (without the compression suffix: outputs are written uncompressed). Each file is sanitized by a child
// `pktmask sanitize` process, N at a time; a failed file is reported and
// the others still complete. See docs/usage.md.

#include <string>
#include <vector>

#include "common/anon/anon_settings.h"
#include "common/errors.h"
#include "common/policy.h"

namespace pktmask::cli {

// Exit code when the batch ran to the end but some files failed.
constexpr ExitCode kSomeFilesFailed = ExitCode::some_files_failed;

struct BatchOptions {
  std::vector<std::string> inputs;  // capture files and directories
  std::string output_dir;
  unsigned jobs = 1;  // files at a time; 0: one per CPU
  bool recursive = false;
  std::string engine;
  std::string tshark;
  std::string stats;  // summary JSON: a file, "-" for stdout, empty for none
  bool progress = true;
  bool self_check = true;  // each child checks its output before publishing it
  bool strict_input = false;
  PolicySettings policy;  // given to every child as options, so a configuration file is read once
  AnonSettings anon;      // the same for every child, so all share one mapping (its key checked beforehand)
};

// Whether these inputs can only be handled in batch mode (several of them,
// or a directory).
bool needs_batch(const std::vector<std::string>& inputs);

// Sanitizes every file; throws Error(kSomeFilesFailed) after the run when
// any file failed, Error(interrupted) on SIGINT/SIGTERM (forwarded to the
// children, which remove their own temporary output).
void run_batch(const BatchOptions& options);

}  // namespace pktmask::cli

#pragma once
// One rule for every command (docs/usage.md, "Output paths"): no output may
// be one of the inputs, and no two outputs may be the same file. A path that
// exists is compared as a file (device and inode, so another spelling, a
// hard link or a symbolic link is caught); one that does not by its
// normalised absolute path. "-" is never compared, and two outputs written
// in place (--stats /dev/null -o /dev/null) may share their device.

#include <string>
#include <vector>

namespace pktmask::cli {

struct NamedPath {
  std::string path;  // empty: the option was not given
  std::string role;  // how the message names it: "-o", "--stats", "the input"
};

// Refuses, while the command line is parsed, a second output given as "-":
// throws CLI::ValidationError naming both (one stdout, one output).
void refuse_shared_stdout(const std::vector<NamedPath>& outputs);

// Throws Error(usage) naming the output and what it clashes with.
void refuse_clashing_paths(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs);

// The same, and then, before anything runs, refuses an output pktmask would
// not write (a symbolic link, a directory: output_target.h) with
// Error(output_failed), so no other output of the run is written first.
void check_paths(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs);

}  // namespace pktmask::cli

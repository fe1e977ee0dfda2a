#pragma once
// Which stored segments to delete: a pure plan from the listing, the limits
// and the free space, so every rule can be tested without a file system.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pktmask {

struct StoredFile {
  std::string path;
  uint64_t size = 0;
  int64_t mtime = 0;  // seconds since the epoch
};

struct RetentionPolicy {
  std::optional<double> retain_days{};  // delete files whose mtime is older than now - days
  std::optional<uint64_t> max_disk{};   // total size of matching files must stay <= this
  std::optional<uint64_t> min_free{};   // free bytes on the file system must stay >= this
  uint64_t max_files = 0;               // keep at most this many files, segments and archives alike; 0: no limit
  uint64_t batch = 0;                   // delete at most this many in one pass; 0: no cap
};

struct RetentionPlan {
  std::vector<StoredFile> remove;  // oldest first
  std::string unmet;               // a one-line reason when a limit cannot be met without deleting the newest file
};

// Regular files directly in `dir` (not symlinks, not in subdirectories, not
// dotfiles, which is where temporaries live) whose names match one of the
// fnmatch(3) globs `patterns`, oldest first (mtime, then name). Throws
// Error(output_failed).
std::vector<StoredFile> list_stored(const std::string& dir, const std::vector<std::string>& patterns);

// `files` oldest first. The age limit removes everything older than the
// cutoff, the newest too if it is that old. The size and free-space limits
// delete oldest first down to a low-water mark (90% of max_disk, min_free plus
// 10%), so the next segment does not trigger another deletion at once; they
// never remove the newest file, which was just captured, and report in
// `unmet` when that leaves a limit broken. The count limit removes the
// oldest beyond `max_files`. A plan holds at most `batch` files (then
// `unmet` stays empty: the caller deletes them and plans again).
RetentionPlan plan_retention(const std::vector<StoredFile>& files, const RetentionPolicy& policy, int64_t now,
                             uint64_t free_bytes);

// Free bytes available to unprivileged users on the file system holding
// `dir`. Throws Error(output_failed).
uint64_t free_space(const std::string& dir);

}  // namespace pktmask

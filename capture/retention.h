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
  std::optional<double> retain_days;  // delete files whose mtime is older than now - days
  std::optional<uint64_t> max_disk;   // total size of matching files must stay <= this
  std::optional<uint64_t> min_free;   // free bytes on the file system must stay >= this
};

struct RetentionPlan {
  std::vector<StoredFile> remove;  // oldest first
  std::string unmet;               // a one-line reason when a limit cannot be met without deleting the newest file
};

// Regular files directly in `dir` (not symlinks, not in subdirectories, not
// dotfiles, which is where temporaries live) whose names match the fnmatch(3)
// glob `pattern`, oldest first (mtime, then name). Throws Error(output_failed).
std::vector<StoredFile> list_stored(const std::string& dir, const std::string& pattern);

// `files` oldest first. The age limit removes everything older than the
// cutoff, the newest too if it is that old. The size and free-space limits
// delete oldest first down to a low-water mark (90% of max_disk, min_free plus
// 10%), so the next segment does not trigger another deletion at once; they
// never remove the newest file, which was just captured, and report in
// `unmet` when that leaves a limit broken.
RetentionPlan plan_retention(const std::vector<StoredFile>& files, const RetentionPolicy& policy, int64_t now,
                             uint64_t free_bytes);

// Free bytes available to unprivileged users on the file system holding
// `dir`. Throws Error(output_failed).
uint64_t free_space(const std::string& dir);

}  // namespace pktmask

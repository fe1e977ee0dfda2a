#include "capture/retention.h"

#include <dirent.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <sys/stat.h>
#include <sys/statvfs.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask {

namespace {

[[noreturn]] void fail(const std::string& path, const char* what, int error) {
  throw Error(ExitCode::output_failed, fmt::format("{}: {}: {}", path, what, std::strerror(error)));
}

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};

bool matches(const std::vector<std::string>& patterns, const char* name) {
  return std::any_of(patterns.begin(), patterns.end(),
                     [name](const std::string& pattern) { return ::fnmatch(pattern.c_str(), name, 0) == 0; });
}

}  // namespace

std::vector<StoredFile> list_stored(const std::string& dir, const std::vector<std::string>& patterns) {
  std::unique_ptr<DIR, DirCloser> handle(::opendir(dir.c_str()));
  if (!handle) fail(dir, "cannot read directory", errno);
  std::vector<StoredFile> files;
  while (true) {
    errno = 0;
    const dirent* entry = ::readdir(handle.get());
    if (entry == nullptr) {
      if (errno != 0) fail(dir, "cannot read directory", errno);
      break;
    }
    const char* name = entry->d_name;
    if (name[0] == '.' || !matches(patterns, name)) continue;
    struct stat st {};
    if (::fstatat(::dirfd(handle.get()), name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
      if (errno == ENOENT) continue;  // deleted since readdir: nothing left to retain
      fail((std::filesystem::path(dir) / name).string(), "cannot stat", errno);
    }
    if (!S_ISREG(st.st_mode)) continue;
    files.push_back({(std::filesystem::path(dir) / name).string(), static_cast<uint64_t>(st.st_size),
                     static_cast<int64_t>(st.st_mtim.tv_sec)});
  }
  std::sort(files.begin(), files.end(), [](const StoredFile& a, const StoredFile& b) {
    return a.mtime != b.mtime ? a.mtime < b.mtime : a.path < b.path;
  });
  return files;
}

RetentionPlan plan_retention(const std::vector<StoredFile>& files, const RetentionPolicy& policy, int64_t now,
                             uint64_t free_bytes) {
  RetentionPlan plan;
  size_t next = 0;  // files[next..] are kept so far
  uint64_t total = 0;
  for (const StoredFile& file : files) total += file.size;
  auto remove_next = [&] {
    total -= files[next].size;
    free_bytes += files[next].size;
    plan.remove.push_back(files[next++]);
  };
  // Past the batch, the plan stops: the limits are checked again on the next pass.
  auto full = [&] { return policy.batch != 0 && plan.remove.size() >= policy.batch; };

  if (policy.retain_days) {
    // In double, so a huge --retain-days cannot overflow; epoch seconds are exact there.
    double cutoff = static_cast<double>(now) - *policy.retain_days * 86400.0;
    while (!full() && next < files.size() && static_cast<double>(files[next].mtime) < cutoff) remove_next();
  }
  if (policy.max_files != 0)
    while (!full() && files.size() - next > policy.max_files) remove_next();

  // The size and free-space limits stop short of the last file.
  size_t keep_newest = files.empty() ? 0 : files.size() - 1;
  std::vector<std::string> unmet;
  if (policy.max_disk && total > *policy.max_disk) {
    uint64_t low_water = *policy.max_disk - *policy.max_disk / 10;
    while (!full() && next < keep_newest && total > low_water) remove_next();
    if (!full() && total > *policy.max_disk)
      unmet.push_back(
          fmt::format("the newest file alone ({} bytes) exceeds the disk limit of {} bytes", total, *policy.max_disk));
  }
  if (policy.min_free && free_bytes < *policy.min_free) {
    uint64_t extra = *policy.min_free / 10;
    uint64_t low_water = *policy.min_free > std::numeric_limits<uint64_t>::max() - extra
                             ? std::numeric_limits<uint64_t>::max()
                             : *policy.min_free + extra;
    while (!full() && next < keep_newest && free_bytes < low_water) remove_next();
    if (!full() && free_bytes < *policy.min_free)
      unmet.push_back(
          fmt::format("only {} bytes free, below the minimum of {} bytes, and no older file is left to delete",
                      free_bytes, *policy.min_free));
  }
  for (const std::string& reason : unmet) plan.unmet += (plan.unmet.empty() ? "" : "; ") + reason;
  return plan;
}

uint64_t free_space(const std::string& dir) {
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) fail(dir, "cannot read free space", errno);
  return static_cast<uint64_t>(st.f_bavail) * static_cast<uint64_t>(st.f_frsize);
}

}  // namespace pktmask

#include "capture/capture_start.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <string_view>
#include <utility>

#include <fmt/format.h>

#include "capture/netns_target.h"
#include "common/errors.h"

namespace pktmask {

namespace fs = std::filesystem;

namespace {

// Root ignores permission bits, so only a real file shows whether the
// directory takes writes (read-only mounts, full disks, quotas).
void probe_writable(const std::string& dir, ExitCode code) {
  std::string probe = dir + "/.pktmask-probe-XXXXXX";
  int fd = ::mkstemp(probe.data());
  if (fd < 0) throw Error(code, fmt::format("{}: cannot write here: {}", dir, std::strerror(errno)));
  ::close(fd);
  ::unlink(probe.c_str());
}

constexpr std::string_view kRawPrefix = ".pktmask-raw-";

// A directory opened for flock; closing it releases the lock.
class FileLock {
 public:
  FileLock(const std::string& dir, int operation)
      : fd_(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)) {
    if (fd_ >= 0 && ::flock(fd_, operation) != 0) {
      int error = errno;
      ::close(fd_);
      fd_ = -1;
      errno = error;
    }
  }
  ~FileLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  FileLock(const FileLock&) = delete;
  FileLock& operator=(const FileLock&) = delete;
  bool held() const { return fd_ >= 0; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// A raw directory of ours: the name a capture gives it (prefix and an
// 8-hex-digit id), a real directory, owned by this user.
bool is_raw_dir_name(const std::string& name) {
  if (!name.starts_with(kRawPrefix) || name.size() != kRawPrefix.size() + 8) return false;
  return std::all_of(name.begin() + static_cast<long>(kRawPrefix.size()), name.end(),
                     [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; });
}

// Removes the raw directories in `parent` that no running capture holds.
// The caller holds the lock on `parent`.
std::vector<std::string> remove_stale_raw_dirs(const std::string& parent) {
  std::vector<std::string> removed;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(parent, error)) {
    struct stat st {};
    std::string path = entry.path().string();
    if (!is_raw_dir_name(entry.path().filename().string()) || ::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) ||
        st.st_uid != ::geteuid())
      continue;
    FileLock unused(path, LOCK_EX | LOCK_NB);
    if (!unused.held()) continue;  // a running capture's
    remove_raw_segments_now(path);
    removed.push_back(path);
  }
  return removed;
}

}  // namespace

std::string new_capture_id() {
  std::random_device random;
  return fmt::format("{:08x}", random());
}

StartedCapture::StartedCapture(const CaptureOptions& options, const std::string& capture_id) {
  try {
    create_dirs(options.output_dir, false);
    probe_writable(options.output_dir, ExitCode::start_create_file_failed);
    std::string parent = options.raw_parent.empty() ? options.output_dir : options.raw_parent;
    try {
      create_dirs(parent, false);
      create_raw_dir(parent, capture_id);
      probe_writable(raw_dir_, ExitCode::start_create_file_failed);
    } catch (const Error& e) {
      throw Error(ExitCode::start_create_file_failed, e.what());
    }
    if (options.replay.empty()) {
      TargetNamespace target = open_target_namespace(options.live.target);
      source_ = open_live_source(options.live, target.netns.get());
      target_process_ = std::move(target.process);
    } else {
      source_ = open_replay_source(options.replay, options.replay_torn_tail);
    }
  } catch (...) {
    // A failed start also takes back the directories it made (empty by now).
    remove_raw_dir();
    for (auto it = created_.rbegin(); it != created_.rend(); ++it) ::rmdir(it->c_str());
    throw;
  }
}

StartedCapture::~StartedCapture() {
  source_.reset();
  remove_raw_dir();
}

void StartedCapture::create_raw_dir(const std::string& parent, const std::string& capture_id) {
  FileLock parent_lock(parent, LOCK_EX);
  if (!parent_lock.held())
    throw Error(ExitCode::start_create_file_failed, fmt::format("{}: cannot lock: {}", parent, std::strerror(errno)));
  stale_removed_ = remove_stale_raw_dirs(parent);
  raw_dir_ = (fs::absolute(parent) / (std::string(kRawPrefix) + capture_id)).string();
  create_dirs(raw_dir_, true);
  FileLock raw_lock(raw_dir_, LOCK_EX | LOCK_NB);
  if (!raw_lock.held())
    throw Error(ExitCode::start_create_file_failed, fmt::format("{}: cannot lock: {}", raw_dir_, std::strerror(errno)));
  raw_lock_ = raw_lock.release();
}

void StartedCapture::create_dirs(const std::string& path, bool private_dir) {
  std::vector<fs::path> missing;
  for (fs::path at = fs::absolute(path); !at.empty() && !fs::exists(at); at = at.parent_path()) {
    missing.push_back(at);
    if (at == at.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    mode_t mode = private_dir && std::next(it) == missing.rend() ? 0700 : 0755;
    if (::mkdir(it->c_str(), mode) != 0)
      throw Error(ExitCode::start_create_file_failed,
                  fmt::format("{}: cannot create directory: {}", it->string(), std::strerror(errno)));
    created_.push_back(*it);
  }
  if (!fs::is_directory(path))
    throw Error(ExitCode::start_create_file_failed, fmt::format("{}: not a directory", path));
}

size_t StartedCapture::remove_raw_dir() {
  if (raw_dir_.empty()) return 0;
  std::error_code error;
  size_t left = 0;
  for (const auto& entry : fs::directory_iterator(raw_dir_, error))
    if (entry.path().filename().string().starts_with("raw-")) ++left;
  remove_raw_segments_now(raw_dir_);
  std::erase(created_, raw_dir_);
  raw_dir_.clear();
  if (raw_lock_ >= 0) ::close(raw_lock_);
  raw_lock_ = -1;
  return left;
}

void remove_raw_segments_now(const std::string& raw_dir) {
  // A worker may create one more segment while we delete: try again.
  for (int attempt = 0; attempt < 100; ++attempt) {
    std::error_code error;
    fs::remove_all(raw_dir, error);
    if (!fs::exists(raw_dir, error)) return;
  }
}

}  // namespace pktmask

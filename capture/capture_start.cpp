#include "capture_start.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>

#include <fmt/format.h>

#include "capture_failure.h"

namespace pktmask {

namespace fs = std::filesystem;

namespace {

// Root ignores permission bits, so only a real file shows whether the
// directory takes writes (read-only mounts, full disks, quotas).
void probe_writable(const std::string& dir, CaptureCode code) {
  std::string probe = dir + "/.pktmask-probe-XXXXXX";
  int fd = ::mkstemp(probe.data());
  if (fd < 0) throw CaptureFailure(code, fmt::format("{}: cannot write here: {}", dir, std::strerror(errno)));
  ::close(fd);
  ::unlink(probe.c_str());
}

}  // namespace

std::string new_capture_id() {
  std::random_device random;
  return fmt::format("{:08x}", random());
}

StartedCapture::StartedCapture(const CaptureOptions& options, const std::string& capture_id) {
  try {
    create_dirs(options.output_dir, false);
    probe_writable(options.output_dir, CaptureCode::output_dir_unusable);
    std::string parent = options.raw_parent.empty() ? options.output_dir : options.raw_parent;
    raw_dir_ = (fs::absolute(parent) / (".pktmask-raw-" + capture_id)).string();
    try {
      create_dirs(parent, false);
      create_dirs(raw_dir_, true);
      probe_writable(raw_dir_, CaptureCode::raw_dir_unusable);
    } catch (const CaptureFailure& e) {
      throw CaptureFailure(CaptureCode::raw_dir_unusable, e.what());
    }
    source_ = options.replay.empty() ? open_live_source(options.live)
                                     : open_replay_source(options.replay, options.replay_torn_tail);
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

void StartedCapture::create_dirs(const std::string& path, bool private_dir) {
  std::vector<fs::path> missing;
  for (fs::path at = fs::absolute(path); !at.empty() && !fs::exists(at); at = at.parent_path()) {
    missing.push_back(at);
    if (at == at.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    mode_t mode = private_dir && std::next(it) == missing.rend() ? 0700 : 0755;
    if (::mkdir(it->c_str(), mode) != 0)
      throw CaptureFailure(CaptureCode::output_dir_unusable,
                           fmt::format("{}: cannot create directory: {}", it->string(), std::strerror(errno)));
    created_.push_back(*it);
  }
  if (!fs::is_directory(path))
    throw CaptureFailure(CaptureCode::output_dir_unusable, fmt::format("{}: not a directory", path));
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

#include "common/output_file.h"

#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/interrupt.h"
#include "common/output_target.h"

namespace pktmask {

namespace {

constexpr size_t kBufferSize = 1 << 20;

// ".NAME.pktmask-" plus six random letters: hidden, and recognisably ours.
std::string hidden_temp_name(const std::string& leaf) {
  static constexpr char kLetters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
  unsigned char random[6] = {};
  if (::getrandom(random, sizeof random, 0) != sizeof random) throw Error(ExitCode::internal, "getrandom failed");
  std::string name = ".";  // built in steps: GCC 12 -O3 warns falsely (-Wrestrict) on a + chain
  name += leaf;
  name += ".pktmask-";
  for (unsigned char byte : random) name += kLetters[byte % (sizeof kLetters - 1)];
  return name;
}

}  // namespace

OutputFile::OutputFile(const std::string& path, bool owner_only)
    : name_(path == "-" ? "<stdout>" : path), owner_only_(owner_only) {
  buffer_.reserve(kBufferSize);
  switch (output_kind(path)) {
    case OutputKind::standard_output:
      fd_ = STDOUT_FILENO;
      break;
    case OutputKind::in_place:
      fd_ = open_in_place(path, 0);
      owns_fd_ = true;
      break;
    case OutputKind::replaced:
      open_temporary(path);
      break;
  }
}

void OutputFile::open_temporary(const std::string& path) {
  std::filesystem::path target(path);
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  leaf_ = target.filename().string();
  dir_fd_ = ::open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd_ < 0) fail("cannot create output", errno);
  owns_fd_ = true;
  // An unnamed file is linked into place through /proc (commit), which a
  // chroot or a minimal container may lack.
  if (::access("/proc/self/fd", X_OK) == 0) {
    fd_ = ::openat(dir_fd_, ".", O_TMPFILE | O_WRONLY | O_CLOEXEC, 0600);
    if (fd_ >= 0) return;
    if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) fail("cannot create output", errno);
  }
  // No unnamed file here: a hidden one, removed on failure.
  for (int attempt = 0; fd_ < 0; ++attempt) {
    named_temp_ = hidden_temp_name(leaf_);
    fd_ = ::openat(dir_fd_, named_temp_.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
    if (fd_ < 0 && (errno != EEXIST || attempt == 100)) {
      int error = errno;
      named_temp_.clear();
      fail("cannot create output", error);
    }
  }
  named_temp_ = (std::filesystem::path(dir) / named_temp_).string();
  set_emergency_cleanup(named_temp_.c_str());
}

OutputFile::~OutputFile() {
  if (owns_fd_ && fd_ >= 0) ::close(fd_);
  if (dir_fd_ >= 0) ::close(dir_fd_);
  if (!named_temp_.empty() && !committed_) {
    ::unlink(named_temp_.c_str());
    set_emergency_cleanup(nullptr);
  }
}

void OutputFile::fail(const char* what, int error) const {
  throw Error(ExitCode::output_failed, fmt::format("{}: {}: {}", name_, what, std::strerror(error)));
}

void OutputFile::write(std::span<const uint8_t> bytes) {
  if (buffer_.size() + bytes.size() > kBufferSize) flush();
  if (bytes.size() >= kBufferSize) {
    buffer_.assign(bytes.begin(), bytes.end());
    flush();
  } else {
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  }
  written_ += bytes.size();
}

void OutputFile::flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        throw_if_interrupted();
        continue;
      }
      fail("write failed", errno);
    }
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

void OutputFile::commit() {
  flush();
  if (dir_fd_ < 0) return;  // written in place: nothing to publish
  // The name must only ever lead to complete bytes, even after a crash. The
  // cost is small next to writing the data at all: 1 GiB took 9.6 s without
  // and 10.2 s with fsync (dd, ext4 on the development VM's virtio disk).
  if (::fchmod(fd_, owner_only_ ? 0600 : normal_file_mode()) != 0 || ::fsync(fd_) != 0) fail("write failed", errno);
  publish();
  committed_ = true;
  set_emergency_cleanup(nullptr);
}

// rename() is the only atomic way to replace an existing name, and linkat()
// never replaces one. So an unnamed file is linked straight to the target
// when the name is free (atomic: it appears complete or not at all), and
// otherwise to a hidden name that is then renamed over the target; a signal
// between the two still removes it (emergency clean-up). linkat() through
// /proc/self/fd needs no privilege, unlike AT_EMPTY_PATH.
void OutputFile::publish() {
  if (!named_temp_.empty()) {
    if (::renameat(AT_FDCWD, named_temp_.c_str(), dir_fd_, leaf_.c_str()) != 0)
      fail("cannot rename output into place", errno);
    return;
  }
  std::string self = fmt::format("/proc/self/fd/{}", fd_);
  if (::linkat(AT_FDCWD, self.c_str(), dir_fd_, leaf_.c_str(), AT_SYMLINK_FOLLOW) == 0) return;
  if (errno != EEXIST) fail("cannot link output into place", errno);
  std::string temp;
  for (;;) {
    temp = hidden_temp_name(leaf_);
    if (::linkat(AT_FDCWD, self.c_str(), dir_fd_, temp.c_str(), AT_SYMLINK_FOLLOW) == 0) break;
    if (errno != EEXIST) fail("cannot link output into place", errno);
  }
  std::string full = (std::filesystem::path(name_).parent_path() / temp).string();
  set_emergency_cleanup(full.c_str());
  if (::renameat(dir_fd_, temp.c_str(), dir_fd_, leaf_.c_str()) != 0) {
    int error = errno;
    ::unlinkat(dir_fd_, temp.c_str(), 0);
    set_emergency_cleanup(nullptr);
    fail("cannot rename output into place", error);
  }
}

}  // namespace pktmask

#include "output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "errors.h"
#include "interrupt.h"

namespace pktmask {

namespace {
constexpr size_t kBufferSize = 1 << 20;
}

OutputFile::OutputFile(const std::string& path) : name_(path == "-" ? "<stdout>" : path) {
  buffer_.reserve(kBufferSize);
  if (path == "-") {
    fd_ = STDOUT_FILENO;
    return;
  }
  std::filesystem::path target(path);
  std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  std::string temp_name = ".";  // built in steps: GCC 12 -O3 warns falsely (-Wrestrict) on a + chain
  temp_name += target.filename().string();
  temp_name += ".pktmask-XXXXXX";
  temp_path_ = (dir / temp_name).string();
  fd_ = ::mkstemp(temp_path_.data());
  if (fd_ < 0) {
    int error = errno;
    temp_path_.clear();
    fail("cannot create output", error);
  }
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
  set_emergency_cleanup(temp_path_.c_str());
}

OutputFile::~OutputFile() {
  if (temp_path_.empty()) return;
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temp_path_.c_str());
  set_emergency_cleanup(nullptr);
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
  if (temp_path_.empty()) return;
  if (::close(fd_) != 0) {
    fd_ = -1;
    fail("write failed", errno);
  }
  fd_ = -1;
  if (::rename(temp_path_.c_str(), name_.c_str()) != 0) fail("cannot rename output into place", errno);
  committed_ = true;
  set_emergency_cleanup(nullptr);
}

}  // namespace pktmask

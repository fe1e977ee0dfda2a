#include "capture/metrics_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask {

namespace {

[[noreturn]] void fail(const std::string& path, const char* what, int error) {
  throw Error(ExitCode::start_create_file_failed, fmt::format("{}: {}: {}", path, what, std::strerror(error)));
}

void write_all(int fd, const std::string& text, const std::string& path) {
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail(path, "write failed", errno);
    done += static_cast<size_t>(n);
  }
}

}  // namespace

void write_metrics_file(const std::string& path, const std::string& text) {
  std::filesystem::path target(path);
  // The same temporary every time: one that a killed run left is reused.
  std::string temp = (target.parent_path() / ("." + target.filename().string() + ".pktmask-tmp")).string();
  int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd < 0) fail(path, "cannot create", errno);
  try {
    write_all(fd, text, path);
    // Without the fsync a crash could leave the renamed name with no data.
    if (::fchmod(fd, 0644) != 0 || ::fsync(fd) != 0) fail(path, "write failed", errno);
  } catch (...) {
    ::close(fd);
    ::unlink(temp.c_str());
    throw;
  }
  ::close(fd);
  if (std::rename(temp.c_str(), path.c_str()) != 0) {
    int error = errno;
    ::unlink(temp.c_str());
    fail(path, "cannot rename into place", error);
  }
}

}  // namespace pktmask

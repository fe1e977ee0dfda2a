#include "common/output_target.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask {

namespace {

[[noreturn]] void refuse(const std::string& path, const std::string& why) {
  throw Error(ExitCode::output_failed, fmt::format("{}: {}", path, why));
}

bool written_in_place(const struct stat& st) { return !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode); }

// A link is followed only where it cannot have been planted by someone else
// (its owner is us or root) and only to something written in place.
bool followable_link(const std::string& path, const struct stat& link) {
  struct stat target {};
  if (::stat(path.c_str(), &target) != 0 || !written_in_place(target)) return false;
  return link.st_uid == ::geteuid() || link.st_uid == 0;
}

}  // namespace

OutputKind output_kind(const std::string& path) {
  if (path == "-") return OutputKind::standard_output;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) return OutputKind::replaced;  // created; a bad directory fails then
  if (S_ISLNK(st.st_mode)) {
    if (followable_link(path, st)) return OutputKind::in_place;
    refuse(path, "is a symbolic link; pktmask does not write through links: name the file itself");
  }
  if (S_ISDIR(st.st_mode)) refuse(path, "is a directory");
  return S_ISREG(st.st_mode) ? OutputKind::replaced : OutputKind::in_place;
}

int open_in_place(const std::string& path, int flags) {
  struct stat link {};
  bool is_link = ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode);
  // Without a link we expect none: O_NOFOLLOW catches one swapped in since.
  int fd = ::open(path.c_str(), O_WRONLY | O_NOCTTY | O_CLOEXEC | (is_link ? 0 : O_NOFOLLOW) | flags);
  if (fd < 0) refuse(path, fmt::format("cannot open: {}", std::strerror(errno)));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !written_in_place(st)) {
    ::close(fd);
    refuse(path, "was replaced by a regular file while being opened");
  }
  return fd;
}

unsigned normal_file_mode() {
  // Read once: umask() can only be read by setting it, which races with
  // threads creating files.
  static const mode_t mask = [] {
    mode_t old = ::umask(0);
    ::umask(old);
    return old;
  }();
  return 0666 & ~mask;
}

}  // namespace pktmask

#include "capture/process_watch.h"

#include <poll.h>
#include <sys/syscall.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask {

ProcessWatch::ProcessWatch(pid_t pid) : pid_(pid), pidfd_(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0))) {
  if (pidfd_.get() >= 0) return;
  if (errno == ESRCH || errno == EINVAL)
    throw Error(ExitCode::start_process_not_found, fmt::format("process {}: no such process", pid));
  throw Error(ExitCode::start_capture_failed, fmt::format("process {}: cannot watch: {}", pid, std::strerror(errno)));
}

// A pidfd becomes readable when its process exits.
bool ProcessWatch::exited() const {
  pollfd ready{.fd = pidfd_.get(), .events = POLLIN, .revents = 0};
  return ::poll(&ready, 1, 0) > 0;
}

}  // namespace pktmask

#include "capture/netns_target.h"

#include <fcntl.h>
#include <linux/nsfs.h>
#include <sched.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "capture/container_lookup.h"
#include "common/errors.h"

namespace pktmask {

namespace {

ExitCode open_failure(int error, ExitCode missing) {
  if (error == EACCES || error == EPERM) return ExitCode::start_no_permission;
  if (error == ENOENT || error == ESRCH) return missing;
  return ExitCode::start_capture_failed;
}

// `missing`: the code when the file is gone (the namespace or the process).
OwnedFd open_netns(const std::string& path, const std::string& what, ExitCode missing) {
  OwnedFd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
  if (int error = errno; fd.get() < 0)
    throw Error(open_failure(error, missing), fmt::format("{}: cannot open {}: {}", what, path, std::strerror(error)));
  if (::ioctl(fd.get(), NS_GET_NSTYPE) != CLONE_NEWNET)
    throw Error(ExitCode::start_invalid_params, fmt::format("{}: {} is not a network namespace", what, path));
  return fd;
}

// The process is watched before its namespace is opened, and checked after:
// the namespace then is surely that process's, not a later one's with the same pid.
// `what` names the target in messages.
TargetNamespace process_namespace(pid_t pid, const std::string& what) {
  TargetNamespace target{.process = ProcessWatch(pid)};
  target.netns = open_netns(fmt::format("/proc/{}/ns/net", pid), what, ExitCode::start_process_not_found);
  if (target.process->exited())
    throw Error(ExitCode::start_process_not_found, fmt::format("{}: the process exited", what));
  return target;
}

}  // namespace

TargetNamespace open_target_namespace(const CaptureTarget& target) {
  if (!target.netns.empty()) {
    std::string path = target.netns.find('/') == std::string::npos ? "/run/netns/" + target.netns : target.netns;
    return {.netns = open_netns(path, "--netns " + target.netns, ExitCode::start_invalid_params)};
  }
  if (target.pid != 0) return process_namespace(target.pid, fmt::format("--pid {}", target.pid));
  if (!target.container.empty()) {
    pid_t init = find_container_init(target.container);
    return process_namespace(init, fmt::format("--container {} (pid {})", target.container, init));
  }
  return {};
}

NetnsEntered::NetnsEntered(int netns_fd) {
  if (netns_fd < 0) return;
  OwnedFd home(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
  if (home.get() < 0)
    throw Error(ExitCode::start_capture_failed,
                fmt::format("cannot open this thread's network namespace: {}", std::strerror(errno)));
  if (::setns(netns_fd, CLONE_NEWNET) != 0)
    throw Error(errno == EPERM ? ExitCode::start_no_permission : ExitCode::start_capture_failed,
                fmt::format("cannot enter the target's network namespace: {}", std::strerror(errno)));
  home_ = std::move(home);
}

NetnsEntered::~NetnsEntered() {
  if (home_.get() < 0) return;
  // Staying in the target's namespace would put every later socket of this
  // thread there; going back cannot fail for a thread that could enter.
  if (::setns(home_.get(), CLONE_NEWNET) != 0) std::abort();
}

}  // namespace pktmask

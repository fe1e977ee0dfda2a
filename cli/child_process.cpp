#include "cli/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"

extern char** environ;

namespace pktmask::cli {

namespace {

int memory_file(const char* name) {
  int fd = ::memfd_create(name, MFD_CLOEXEC);
  if (fd < 0)
    throw Error(ExitCode::internal,
                fmt::format("cannot create a buffer for a child's {}: {}", name, std::strerror(errno)));
  return fd;
}

}  // namespace

ChildProcess::ChildProcess(const std::vector<std::string>& arguments) {
  out_fd_ = memory_file("stdout");
  err_fd_ = memory_file("stderr");
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_fd_, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd_, STDERR_FILENO);
  std::vector<char*> argv{const_cast<char*>("pktmask")};
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  int spawned = ::posix_spawn(&pid_, "/proc/self/exe", &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) {
    pid_ = -1;
    ::close(out_fd_);
    ::close(err_fd_);
    throw Error(ExitCode::internal, fmt::format("cannot start /proc/self/exe: {}", std::strerror(spawned)));
  }
  // Safe from pid reuse: the child stays a zombie until we reap it.
  exit_fd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  for (int fd : {exit_fd_, out_fd_, err_fd_})
    if (fd >= 0) ::close(fd);
}

void ChildProcess::send_signal(int number) const {
  if (pid_ > 0) ::kill(pid_, number);
}

std::optional<int> ChildProcess::try_reap() {
  if (pid_ < 0) throw Error(ExitCode::internal, "child reaped twice");
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string ChildProcess::read_all(int fd) {
  std::string text;
  char chunk[4096];
  for (;;) {
    ssize_t got = ::pread(fd, chunk, sizeof chunk, static_cast<off_t>(text.size()));
    if (got <= 0) return text;
    text.append(chunk, static_cast<size_t>(got));
  }
}

}  // namespace pktmask::cli

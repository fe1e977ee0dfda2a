#include "common/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <system_error>

#include "common/interrupt.h"

extern char** environ;

namespace pktmask {

namespace {

constexpr size_t kLineBuffer = 1 << 20;

[[noreturn]] void cannot_start(int error, const std::string& program) {
  throw std::system_error(error, std::generic_category(), "cannot start " + program);
}

ChildExit exit_of(int status) {
  return WIFEXITED(status) ? ChildExit{WEXITSTATUS(status), false} : ChildExit{WTERMSIG(status), true};
}

}  // namespace

ChildProcess::ChildProcess(const ChildCommand& command) {
  int stdout_pipe[2] = {-1, -1};
  auto close_all = [&] {
    for (int fd : {out_fd_, err_fd_, stdout_pipe[1]})
      if (fd >= 0) ::close(fd);
  };
  err_fd_ = ::memfd_create("stderr", MFD_CLOEXEC);
  if (command.stream_stdout) {
    if (::pipe2(stdout_pipe, O_CLOEXEC) == 0) out_fd_ = stdout_pipe[0];
  } else {
    out_fd_ = ::memfd_create("stdout", MFD_CLOEXEC);
  }
  if (err_fd_ < 0 || out_fd_ < 0) {
    int error = errno;
    close_all();
    cannot_start(error, command.program);
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, command.stream_stdout ? stdout_pipe[1] : out_fd_, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd_, STDERR_FILENO);
  std::string name = command.name.empty() ? command.program : command.name;
  std::vector<char*> argv{name.data()};
  for (const std::string& argument : command.arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  int spawned = ::posix_spawnp(&pid_, command.program.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (stdout_pipe[1] >= 0) ::close(stdout_pipe[1]);
  stdout_pipe[1] = -1;
  if (spawned != 0) {
    pid_ = -1;
    close_all();
    cannot_start(spawned, command.program);
  }
  if (command.stream_stdout) buffer_.resize(kLineBuffer);
  // Safe from pid reuse: the child stays a zombie until we reap it.
  exit_fd_ = static_cast<int>(::syscall(SYS_pidfd_open, pid_, 0));
}

ChildProcess::~ChildProcess() {
  for (int fd : {exit_fd_, out_fd_, err_fd_})
    if (fd >= 0) ::close(fd);
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    while (::waitpid(pid_, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
}

void ChildProcess::send_signal(int number) const {
  if (pid_ > 0) ::kill(pid_, number);
}

std::optional<ChildExit> ChildProcess::try_reap() {
  if (pid_ < 0) throw std::logic_error("child reaped twice");
  int status = 0;
  if (::waitpid(pid_, &status, WNOHANG) != pid_) return std::nullopt;
  pid_ = -1;
  return exit_of(status);
}

ChildExit ChildProcess::wait() {
  if (pid_ < 0) throw std::logic_error("child reaped twice");
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  throw_if_interrupted();
  return exit_of(status);
}

bool ChildProcess::read_line(std::string& line) {
  for (;;) {
    char* start = buffer_.data() + begin_;
    if (void* newline = std::memchr(start, '\n', end_ - begin_)) {
      size_t length = static_cast<size_t>(static_cast<char*>(newline) - start);
      line.assign(start, length);
      begin_ += length + 1;
      return true;
    }
    if (eof_) {
      if (begin_ == end_) return false;
      line.assign(start, end_ - begin_);
      begin_ = end_;
      return true;
    }
    if (begin_ > 0) {
      std::memmove(buffer_.data(), start, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    ssize_t got = ::read(out_fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (got < 0 && errno == EINTR) {
      throw_if_interrupted();
      continue;
    }
    if (got <= 0)
      eof_ = true;
    else
      end_ += static_cast<size_t>(got);
  }
}

std::string ChildProcess::read_all(int fd, size_t limit) {
  std::string text;
  char chunk[4096];
  while (text.size() < limit) {
    size_t want = std::min(sizeof chunk, limit - text.size());
    ssize_t got = ::pread(fd, chunk, want, static_cast<off_t>(text.size()));
    if (got <= 0) break;
    text.append(chunk, static_cast<size_t>(got));
  }
  return text;
}

}  // namespace pktmask

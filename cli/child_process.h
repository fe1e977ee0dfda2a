#pragma once
// One child running this very pktmask binary (/proc/self/exe) with other
// arguments, started with posix_spawn (no shell). A process per file is
// pktmask's unit of failure isolation: each child has its own signal
// handling, temporary output and exit code, so one bad capture (or a crash)
// cannot take the others down. The child's stdin is /dev/null; its stdout
// and stderr go to anonymous in-memory files, never pipes, so a chatty child
// can never block on a reader that only looks once it has exited.

#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace pktmask::cli {

class ChildProcess {
 public:
  // Throws Error(internal) if the child cannot be started.
  explicit ChildProcess(const std::vector<std::string>& arguments);
  ~ChildProcess();  // stops (SIGTERM) and reaps a child that is still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // A descriptor that polls readable once the child has exited, or -1 where
  // the kernel offers no pidfd (poll ignores it; the caller's timeout then
  // bounds how late an exit is noticed).
  int exit_fd() const { return exit_fd_; }
  void send_signal(int number) const;
  // The exit code as a shell reports it (128 + N for signal N) once the
  // child has exited, nullopt while it runs. Never blocks.
  std::optional<int> try_reap();
  std::string stdout_text() const { return read_all(out_fd_); }
  std::string stderr_text() const { return read_all(err_fd_); }

 private:
  static std::string read_all(int fd);

  pid_t pid_ = -1;
  int exit_fd_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
};

}  // namespace pktmask::cli

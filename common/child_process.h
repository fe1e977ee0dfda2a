#pragma once
// One child process, started with posix_spawn (no shell): tshark, or a
// pktmask of its own for each file of a batch. Its stdin is /dev/null. Its
// stderr, and its stdout unless streamed, go to anonymous in-memory files,
// never pipes, so a chatty child can never block on a reader that only looks
// once it has exited. A streamed stdout is a pipe, read line by line.

#include <optional>
#include <string>
#include <vector>

#include <sys/types.h>

namespace pktmask {

struct ChildCommand {
  std::string program{};                 // looked up in $PATH unless it holds a '/'
  std::string name{};                    // argv[0]; the program when empty
  std::vector<std::string> arguments{};  // after argv[0]
  bool stream_stdout = false;            // read_line() while it runs; else stdout_text() once it has exited
};

// How a child ended.
struct ChildExit {
  int number = 0;  // its exit status, or the signal that killed it
  bool signaled = false;
  // As a shell reports it: 128 + N for signal N.
  int shell_code() const { return signaled ? 128 + number : number; }
};

class ChildProcess {
 public:
  // Throws std::system_error with the errno of a child that cannot be
  // started (ENOENT: no such program).
  explicit ChildProcess(const ChildCommand& command);
  ~ChildProcess();  // stops (SIGTERM) and reaps a child that is still running
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // A descriptor that polls readable once the child has exited, or -1 where
  // the kernel offers no pidfd (poll ignores it; the caller's timeout then
  // bounds how late an exit is noticed).
  int exit_fd() const { return exit_fd_; }
  void send_signal(int number) const;
  // Once the child has exited; nullopt while it runs. Never blocks.
  std::optional<ChildExit> try_reap();
  // Waits for the child to exit. An interrupt (SIGINT, SIGTERM) throws
  // Error(interrupted) once it has.
  ChildExit wait();

  // The next line of a streamed stdout without its newline; false at its
  // end. An interrupt throws Error(interrupted).
  bool read_line(std::string& line);
  std::string stdout_text() const { return read_all(out_fd_, std::string::npos); }
  // The first `limit` bytes of stderr.
  std::string stderr_text(size_t limit = std::string::npos) const { return read_all(err_fd_, limit); }

 private:
  static std::string read_all(int fd, size_t limit);

  pid_t pid_ = -1;
  int exit_fd_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::vector<char> buffer_;  // of a streamed stdout
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
};

}  // namespace pktmask

#pragma once
// Runs tshark with posix_spawn (no shell) and streams its standard output
// line by line. Its stderr goes to an anonymous temporary file so a chatty
// tshark can never block on a full pipe; the first line of it is quoted when
// tshark fails.

#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>

namespace pktmask {

class TsharkProcess {
 public:
  // Throws Error(tshark_failed) if the binary cannot be started.
  TsharkProcess(const std::string& binary, const std::vector<std::string>& arguments);
  ~TsharkProcess();  // kills and reaps a tshark that is still running
  TsharkProcess(const TsharkProcess&) = delete;
  TsharkProcess& operator=(const TsharkProcess&) = delete;

  // The next line of output without its newline; false at end of output.
  bool read_line(std::string& line);
  // Waits for exit; throws Error(tshark_failed) unless tshark exited with 0.
  void finish();
  // Whether tshark's stderr holds `text` (to tell a known failure from others).
  bool error_mentions(std::string_view text) const;

 private:
  std::string error_text() const;
  std::string error_output() const;

  std::string binary_;
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  std::vector<char> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  bool eof_ = false;
};

// "4.0.17" from `tshark --version`; throws Error(tshark_failed) if tshark is
// missing or older than the oldest version whose fields we rely on.
std::string check_tshark_version(const std::string& binary);

}  // namespace pktmask

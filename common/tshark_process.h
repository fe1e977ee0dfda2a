#pragma once
// tshark as a child process, shared by the tshark engine and the verifier's
// second opinion: its standard output streamed line by line, and its failure
// told with the first line of its stderr.

#include <string>
#include <string_view>
#include <vector>

#include "common/child_process.h"

namespace pktmask {

class TsharkProcess {
 public:
  // Throws Error(tshark_failed) if the binary cannot be started.
  TsharkProcess(const std::string& binary, const std::vector<std::string>& arguments);

  // The next line of output without its newline; false at end of output.
  bool read_line(std::string& line) { return child_.read_line(line); }
  // Waits for exit; throws Error(tshark_failed) unless tshark exited with 0.
  void finish();
  // Whether tshark's stderr holds `text` (to tell a known failure from others).
  bool error_mentions(std::string_view text) const;

 private:
  std::string error_text() const;
  std::string error_output() const;

  std::string binary_;
  ChildProcess child_;
};

// "4.0.17" from `tshark --version`; throws Error(tshark_failed) if tshark is
// missing or older than the oldest version whose fields we rely on.
std::string check_tshark_version(const std::string& binary);

}  // namespace pktmask

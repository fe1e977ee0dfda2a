#pragma once
// Error kinds map one-to-one to the documented exit codes (docs/usage.md).

#include <stdexcept>
#include <string>

namespace pktmask {

enum class ExitCode : int {
  ok = 0,
  internal = 1,
  usage = 2,
  bad_capture = 3,
  bad_rules = 4,
  output_failed = 5,
  tshark_failed = 6,
  verification_failed = 7,
  some_files_failed = 8,
  engines_differ = 9,  // --engine both: the engines keep different bytes
  interrupted = 130,
};

// A failure that ends the run; `what()` is the full one-line message.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace pktmask

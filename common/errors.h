#pragma once
// The one error type of pktmask: a failure that ends the run (or, in
// `pktmask capture`, the segment or the capture) with its exit code.

#include <stdexcept>
#include <string>

#include "common/exit_codes.h"

namespace pktmask {

// `what()` is the full one-line message.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const { return code_; }

 private:
  ExitCode code_;
};

}  // namespace pktmask

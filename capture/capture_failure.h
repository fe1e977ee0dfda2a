#pragma once
// A failure of the capture pipeline, carrying its CaptureCode.

#include <stdexcept>
#include <string>

#include "capture/capture_codes.h"

namespace pktmask {

class CaptureFailure : public std::runtime_error {
 public:
  CaptureFailure(CaptureCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  CaptureCode code() const { return code_; }

 private:
  CaptureCode code_;
};

}  // namespace pktmask

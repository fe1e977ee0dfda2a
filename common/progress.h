#pragma once
// The progress of one pass over a capture (bytes, share of the file, packets,
// throughput) on the status line.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "common/status_line.h"

namespace pktmask {

class Progress {
 public:
  // `enabled` comes from the command line; the terminal check is the status line's.
  Progress(bool enabled, std::string label, std::optional<uint64_t> total_bytes);
  void update(uint64_t bytes_done, uint64_t packets) {
    if (line_.enabled() && (packets & 0x3ff) == 0) draw(bytes_done, packets);
  }

 private:
  void draw(uint64_t bytes_done, uint64_t packets);

  StatusLine line_;
  std::string label_;
  std::optional<uint64_t> total_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace pktmask

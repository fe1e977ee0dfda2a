#pragma once
// A one-line progress display on stderr, only when stderr is a terminal, at
// most a few updates per second.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

namespace pktmask {

class Progress {
 public:
  // `enabled` comes from the command line; the terminal check is added here.
  Progress(bool enabled, std::string label, std::optional<uint64_t> total_bytes);
  ~Progress();
  void update(uint64_t bytes_done, uint64_t packets) {
    if (enabled_ && (packets & 0x3ff) == 0) draw(bytes_done, packets);
  }

 private:
  void draw(uint64_t bytes_done, uint64_t packets);

  bool enabled_;
  bool drawn_ = false;
  std::string label_;
  std::optional<uint64_t> total_;
  std::chrono::steady_clock::time_point start_, last_;
};

}  // namespace pktmask

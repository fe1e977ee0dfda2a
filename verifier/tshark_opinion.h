#pragma once
// tshark's second opinion on a sanitized capture: which frames still show it
// non-zero TLS application data. The verifier's own walk decides the counts;
// tshark re-synchronises after gaps and dissects TLS inside ICMP quotes and
// reassembled fragments, where the policy leaves bytes as they are, so a
// frame the walk does not also find leaking is listed as a warning only.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/tshark_process.h"

namespace pktmask::verify {

// What tshark's opinion found, for verify --json.
struct TsharkOpinionStats {
  std::string version;
  uint64_t frames_with_nonzero_app_data = 0;
  uint64_t confirmed_by_walk = 0;  // of them, frames where the walk found a leak too
  uint64_t warning_count = 0;      // the others
  std::vector<std::string> warnings;
};

class TsharkOpinion {
 public:
  // Starts tshark on `sanitized`; throws Error(tshark_failed) if it is
  // missing or too old.
  TsharkOpinion(const std::string& binary, const std::string& sanitized, size_t max_report);

  // Called for every packet, in order: `walk_found_leak` says whether the
  // walk found leaked bytes in the packet's direction up to this frame.
  void judge(uint64_t frame, bool walk_found_leak);
  // Reads the rest of tshark's output and checks that it exited cleanly.
  void finish();

  TsharkOpinionStats stats() const;

 private:
  void start_reading();
  // Moves to the next frame in which tshark sees non-zero application data.
  void next_report();
  void warn(uint64_t frame);
  [[noreturn]] void unexpected(const std::string& line) const;

  std::string binary_;
  std::string version_;
  TsharkProcess process_;
  size_t max_report_;
  bool started_ = false;
  std::optional<uint64_t> pending_;  // the next such frame, if any
  uint64_t last_frame_ = 0;
  uint64_t frames_ = 0;
  uint64_t confirmed_ = 0;
  uint64_t warning_count_ = 0;
  std::vector<std::string> warnings_;
};

}  // namespace pktmask::verify

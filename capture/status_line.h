#pragma once
// The one-line live status of a capture on stderr, only when stderr is a
// terminal, redrawn at most once a second.

#include <chrono>
#include <string>

namespace pktmask {

class StatusLine {
 public:
  explicit StatusLine(bool enabled);
  void show(const std::string& text);
  // Erases the line, so the final summary starts on a clean one.
  void clear();
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point last_{};
};

}  // namespace pktmask

#pragma once
// One line of live status on stderr (a pass's progress, a capture's state, a
// batch's files), only when stderr is a terminal: redrawn in place at most
// once per interval, and erased before anything else is printed to stderr.

#include <chrono>
#include <string>

namespace pktmask {

class StatusLine {
 public:
  // `enabled` comes from the command line; the terminal check is added here.
  StatusLine(bool enabled, std::chrono::milliseconds interval);
  ~StatusLine() { clear(); }
  StatusLine(const StatusLine&) = delete;
  StatusLine& operator=(const StatusLine&) = delete;

  // Replaces the line with `text`, unless it was drawn less than an interval ago.
  void show(const std::string& text);
  // Erases the line, so what is printed next starts on a clean one.
  void clear();
  bool enabled() const { return enabled_; }

 private:
  bool enabled_;
  bool drawn_ = false;
  std::chrono::milliseconds interval_;
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace pktmask

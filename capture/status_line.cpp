#include "capture/status_line.h"

#include <unistd.h>

#include <fmt/format.h>

namespace pktmask {

StatusLine::StatusLine(bool enabled) : enabled_(enabled && ::isatty(STDERR_FILENO)) {}

void StatusLine::show(const std::string& text) {
  auto now = std::chrono::steady_clock::now();
  if (!enabled_ || now - last_ < std::chrono::seconds(1)) return;
  last_ = now;
  fmt::print(stderr, "\r\033[K{}", text);
  std::fflush(stderr);
  drawn_ = true;
}

void StatusLine::clear() {
  if (!drawn_) return;
  fmt::print(stderr, "\r\033[K");
  drawn_ = false;
}

}  // namespace pktmask

#include "common/status_line.h"

#include <unistd.h>

#include <cstdio>

#include <fmt/format.h>

namespace pktmask {

StatusLine::StatusLine(bool enabled, std::chrono::milliseconds interval)
    : enabled_(enabled && ::isatty(STDERR_FILENO)), interval_(interval) {}

void StatusLine::show(const std::string& text) {
  auto now = std::chrono::steady_clock::now();
  if (!enabled_ || now - last_ < interval_) return;
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

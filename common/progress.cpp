#include "common/progress.h"

#include <unistd.h>

#include <fmt/format.h>

namespace pktmask {

Progress::Progress(bool enabled, std::string label, std::optional<uint64_t> total_bytes)
    : enabled_(enabled && ::isatty(STDERR_FILENO)),
      label_(std::move(label)),
      total_(total_bytes),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

Progress::~Progress() {
  if (drawn_) fmt::print(stderr, "\r\033[K");
}

void Progress::draw(uint64_t bytes_done, uint64_t packets) {
  auto now = std::chrono::steady_clock::now();
  if (now - last_ < std::chrono::milliseconds(250)) return;
  last_ = now;
  drawn_ = true;
  double seconds = std::chrono::duration<double>(now - start_).count();
  double mb = static_cast<double>(bytes_done) / 1e6;
  std::string share =
      total_ && *total_ > 0
          ? fmt::format(" {:5.1f}%", 100.0 * static_cast<double>(bytes_done) / static_cast<double>(*total_))
          : "";
  fmt::print(stderr, "\r\033[K{}:{} {:.0f} MB, {} packets, {:.0f} MB/s", label_, share, mb, packets, mb / seconds);
}

}  // namespace pktmask

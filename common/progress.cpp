#include "common/progress.h"

#include <fmt/format.h>

namespace pktmask {

Progress::Progress(bool enabled, std::string label, std::optional<uint64_t> total_bytes)
    : line_(enabled, std::chrono::milliseconds(250)),
      label_(std::move(label)),
      total_(total_bytes),
      start_(std::chrono::steady_clock::now()) {}

void Progress::draw(uint64_t bytes_done, uint64_t packets) {
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  double mb = static_cast<double>(bytes_done) / 1e6;
  std::string share =
      total_ && *total_ > 0
          ? fmt::format(" {:5.1f}%", 100.0 * static_cast<double>(bytes_done) / static_cast<double>(*total_))
          : "";
  line_.show(fmt::format("{}:{} {:.0f} MB, {} packets, {:.0f} MB/s", label_, share, mb, packets, mb / seconds));
}

}  // namespace pktmask

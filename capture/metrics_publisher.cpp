#include "capture/metrics_publisher.h"

#include <fmt/format.h>

#include "capture/metrics_file.h"
#include "capture/metrics_text.h"
#include "common/errors.h"

namespace pktmask {

namespace {

constexpr auto kInterval = std::chrono::seconds(1);

}  // namespace

MetricsPublisher::MetricsPublisher(const MetricsTargets& targets, MetricsIdentity identity)
    : file_(targets.file), identity_(std::move(identity)), enabled_(!targets.file.empty() || !targets.listen.empty()) {
  if (!enabled_) return;
  text_ = prometheus_text(identity_, {});
  // The address first: if it is taken, no file claims that this capture is up.
  if (!targets.listen.empty())
    endpoint_ = std::make_unique<MetricsEndpoint>(parse_listen_address(targets.listen), [this] {
      std::lock_guard lock(mutex_);
      return text_;
    });
  if (!file_.empty()) write_metrics_file(file_, text_);
  last_ = std::chrono::steady_clock::now();
}

bool MetricsPublisher::due() const { return enabled_ && std::chrono::steady_clock::now() - last_ >= kInterval; }

void MetricsPublisher::publish(const MetricsSnapshot& snapshot) {
  if (!enabled_) return;
  last_ = std::chrono::steady_clock::now();
  std::string text = prometheus_text(identity_, snapshot);
  if (!file_.empty()) {
    try {
      write_metrics_file(file_, text);
      file_failing_ = false;
    } catch (const Error& e) {
      if (!file_failing_) fmt::print(stderr, "pktmask: capture: metrics: {}\n", e.what());
      file_failing_ = true;
    }
  }
  std::lock_guard lock(mutex_);
  text_ = std::move(text);
}

}  // namespace pktmask

#pragma once
// Hands the manager's metrics to where they are read: the --metrics-file and
// the --metrics-listen endpoint. The manager publishes at most once a second
// and once more at the end; the endpoint answers from the last text rendered,
// on its own threads, so a scrape never touches the manager's state.

#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include "capture/metrics_http.h"
#include "capture/metrics_snapshot.h"

namespace pktmask {

struct MetricsTargets {
  std::string file;    // --metrics-file, "" for none
  std::string listen;  // --metrics-listen ADDRESS:PORT, "" for none
};

class MetricsPublisher {
 public:
  // Publishes a first snapshot (up, all zero). Throws Error(start_*) when the
  // file cannot be written or the address cannot be bound.
  MetricsPublisher(const MetricsTargets& targets, MetricsIdentity identity);

  // True once a second has passed since the last publish (never without a target).
  bool due() const;
  // A file that cannot be written any more is reported once on stderr and
  // retried the next time: it must not stop the capture.
  void publish(const MetricsSnapshot& snapshot);

 private:
  std::string file_;
  MetricsIdentity identity_;
  bool enabled_ = false;
  bool file_failing_ = false;
  std::chrono::steady_clock::time_point last_{};
  std::mutex mutex_;  // guards text_, which the endpoint's threads read
  std::string text_;
  std::unique_ptr<MetricsEndpoint> endpoint_;  // last: stopped before text_ goes
};

}  // namespace pktmask

#pragma once
// The Prometheus text exposition format, version 0.0.4, of a capture's
// metrics: what the --metrics-file holds and GET /metrics answers.

#include <string>

#include "capture/metrics_snapshot.h"

namespace pktmask {

inline constexpr const char* kMetricsContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string prometheus_text(const MetricsIdentity& identity, const MetricsSnapshot& snapshot);

}  // namespace pktmask

#include <catch2/catch.hpp>

#include "capture/metrics_text.h"

using namespace pktmask;

namespace {

MetricsIdentity identity() {
  return {.capture_id = "3f9c0a12", .key = "/spool", .start_time_seconds = 1795593407.25, .backlog_limit = 4};
}

bool has_line(const std::string& text, const std::string& line) {
  return text.find("\n" + line + "\n") != std::string::npos || text.rfind(line + "\n", 0) == 0;
}

}  // namespace

TEST_CASE("metrics_text: every family has HELP and TYPE before its samples, each sample the key label") {
  MetricsSnapshot snapshot;
  snapshot.counters.capture.packets = 441751;
  snapshot.counters.tcp_payload_bytes_kept = 54210;
  snapshot.counters.tcp_payload_bytes_masked = 47466090;
  snapshot.backlog = 2;
  std::string text = prometheus_text(identity(), snapshot);
  CHECK(has_line(text, "# TYPE pktmask_capture_packets_total counter"));
  CHECK(has_line(text, "pktmask_capture_packets_total{key=\"/spool\"} 441751"));
  CHECK(has_line(text, "# TYPE pktmask_capture_backlog_segments gauge"));
  CHECK(has_line(text, "pktmask_capture_backlog_segments{key=\"/spool\"} 2"));
  CHECK(has_line(text, "pktmask_capture_backlog_limit_segments{key=\"/spool\"} 4"));
  CHECK(has_line(text, "pktmask_capture_payload_bytes_total{key=\"/spool\",action=\"kept\"} 54210"));
  CHECK(has_line(text, "pktmask_capture_payload_bytes_total{key=\"/spool\",action=\"masked\"} 47466090"));
  CHECK(has_line(text, "pktmask_capture_start_time_seconds{key=\"/spool\"} 1795593407.25"));
  CHECK(has_line(text, "pktmask_capture_info{key=\"/spool\",capture_id=\"3f9c0a12\",version=\"0.1.0\"} 1"));
  CHECK(has_line(text, "pktmask_capture_up{key=\"/spool\"} 1"));
  CHECK(text.back() == '\n');
}

TEST_CASE("metrics_text: the exit code only once the capture is down") {
  MetricsSnapshot snapshot;
  snapshot.counters.exit_code = 205;
  CHECK(prometheus_text(identity(), snapshot).find("exit_code") == std::string::npos);
  snapshot.up = false;
  std::string text = prometheus_text(identity(), snapshot);
  CHECK(has_line(text, "pktmask_capture_up{key=\"/spool\"} 0"));
  CHECK(has_line(text, "pktmask_capture_exit_code{key=\"/spool\"} 205"));
}

TEST_CASE("metrics_text: kernel counters for a live capture, the last packet's time once a segment closed") {
  MetricsSnapshot snapshot;
  std::string replay = prometheus_text(identity(), snapshot);
  CHECK(replay.find("kernel") == std::string::npos);
  CHECK(replay.find("last_packet_timestamp") == std::string::npos);
  snapshot.counters.capture.source.kernel = KernelCounters{.received = 10, .dropped = 3, .interface_dropped = 1};
  snapshot.last_packet_time_us = 1764057468123456;
  std::string live = prometheus_text(identity(), snapshot);
  CHECK(has_line(live, "pktmask_capture_kernel_received_packets_total{key=\"/spool\"} 10"));
  CHECK(has_line(live, "pktmask_capture_kernel_dropped_packets_total{key=\"/spool\"} 3"));
  CHECK(has_line(live, "pktmask_capture_interface_dropped_packets_total{key=\"/spool\"} 1"));
  CHECK(has_line(live, "pktmask_capture_last_packet_timestamp_seconds{key=\"/spool\"} 1764057468.123456"));
}

TEST_CASE("metrics_text: label values escape backslash, quote and newline") {
  MetricsIdentity odd = identity();
  odd.key = "a\\b\"c\nd";
  CHECK(has_line(prometheus_text(odd, {}), "pktmask_capture_up{key=\"a\\\\b\\\"c\\nd\"} 1"));
}

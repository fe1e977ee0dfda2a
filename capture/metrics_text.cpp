#include "capture/metrics_text.h"

#include <string_view>

#include <fmt/format.h>

#include "common/version.h"

namespace pktmask {

namespace {

// A label value escapes backslash, double quote and newline; HELP text only
// backslash and newline.
std::string escaped(std::string_view text, bool label_value) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '\n')
      out += "\\n";
    else if (c == '"' && label_value)
      out += "\\\"";
    else
      out += c;
  }
  return out;
}

std::string label(std::string_view name, std::string_view value) {
  return fmt::format("{}=\"{}\"", name, escaped(value, true));
}

// Every sample carries the constant `key` label, so that the files of
// several captures can sit in one textfile-collector directory.
class Exposition {
 public:
  explicit Exposition(const std::string& key) : key_(label("key", key)) {}

  void family(std::string_view name, std::string_view type, std::string_view help) {
    fmt::format_to(std::back_inserter(text_), "# HELP {} {}\n# TYPE {} {}\n", name, escaped(help, false), name, type);
  }

  template <typename Value>
  void sample(std::string_view name, Value value, std::string_view more_labels = {}) {
    fmt::format_to(std::back_inserter(text_), "{}{{{}{}{}}} {}\n", name, key_, more_labels.empty() ? "" : ",",
                   more_labels, value);
  }

  template <typename Value>
  void counter(std::string_view name, std::string_view help, Value value) {
    family(name, "counter", help);
    sample(name, value);
  }

  template <typename Value>
  void gauge(std::string_view name, std::string_view help, Value value) {
    family(name, "gauge", help);
    sample(name, value);
  }

  std::string take() { return std::move(text_); }

 private:
  std::string key_;
  std::string text_;
};

}  // namespace

std::string prometheus_text(const MetricsIdentity& identity, const MetricsSnapshot& snapshot) {
  const CaptureSummary& counters = snapshot.counters;
  Exposition out(identity.key);
  out.family("pktmask_capture_info", "gauge", "Always 1; capture_id changes with every start of pktmask capture.");
  out.sample("pktmask_capture_info", 1, label("capture_id", identity.capture_id) + "," + label("version", kVersion));
  out.gauge("pktmask_capture_up", "1 while the capture runs, 0 once it has ended.", snapshot.up ? 1 : 0);
  out.gauge("pktmask_capture_start_time_seconds", "When the capture started, in seconds since the epoch.",
            identity.start_time_seconds);
  if (!snapshot.up)
    out.gauge("pktmask_capture_exit_code", "The exit status of the ended capture (docs/capture.md, error codes).",
              counters.exit_code);
  out.counter("pktmask_capture_packets_total", "Packets captured.", counters.capture.packets);
  out.counter("pktmask_capture_bytes_total", "Bytes of packets captured, as stored.", counters.capture.bytes);
  if (const auto& kernel = counters.capture.source.kernel) {
    out.counter("pktmask_capture_kernel_received_packets_total", "Packets the kernel passed to the capture filter.",
                kernel->received);
    out.counter("pktmask_capture_kernel_dropped_packets_total", "Packets the kernel dropped for lack of buffer space.",
                kernel->dropped);
    out.counter("pktmask_capture_interface_dropped_packets_total", "Packets the interface or its driver dropped.",
                kernel->interface_dropped);
  }
  if (snapshot.last_packet_time_us)
    out.gauge("pktmask_capture_last_packet_timestamp_seconds",
              "Capture time of the last packet of the newest closed segment, in seconds since the epoch.",
              static_cast<double>(*snapshot.last_packet_time_us) / 1e6);
  out.counter("pktmask_capture_segments_captured_total", "Raw segments closed by the capture.",
              counters.segments_captured);
  out.counter("pktmask_capture_segments_sanitized_total", "Segments sanitized and published.",
              counters.segments_sanitized);
  out.counter("pktmask_capture_segments_failed_total", "Segments that could not be sanitized.",
              counters.segments_failed);
  out.counter("pktmask_capture_segments_compressed_total", "Sanitized segments compressed.",
              counters.segments_compressed);
  out.counter("pktmask_capture_segments_deleted_total", "Sanitized segments deleted by retention.",
              counters.segments_deleted_by_retention);
  out.gauge("pktmask_capture_backlog_segments", "Closed raw segments waiting to be sanitized.", snapshot.backlog);
  out.gauge("pktmask_capture_backlog_limit_segments",
            "--max-backlog: one more waiting segment stops a live capture (exit 205).", identity.backlog_limit);
  out.counter("pktmask_capture_sanitized_bytes_total", "Bytes of the sanitized segments written.",
              counters.sanitized_bytes);
  out.family("pktmask_capture_payload_bytes_total", "counter",
             "TCP payload bytes of the sanitized segments, by what the policy did with them.");
  out.sample("pktmask_capture_payload_bytes_total", counters.tcp_payload_bytes_kept, label("action", "kept"));
  out.sample("pktmask_capture_payload_bytes_total", counters.tcp_payload_bytes_masked, label("action", "masked"));
  out.counter("pktmask_capture_cleanup_failures_total", "Compressions and deletions that failed.",
              counters.cleanup_failures);
  out.gauge("pktmask_capture_flow_directions_carried",
            "TCP directions whose state the last sanitized segment handed on.", counters.directions_carried);
  out.counter("pktmask_capture_flow_directions_forgotten_total", "TCP directions forgotten by --flow-timeout.",
              counters.directions_forgotten);
  return out.take();
}

}  // namespace pktmask

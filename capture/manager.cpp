// The manager: starts the capture, then alone owns its state, acting on the
// workers' reports one at a time, in the order they arrive.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include <fmt/format.h>

#include "capture/capture_options.h"
#include "capture/capture_start.h"
#include "capture/cleaner.h"
#include "capture/duplicate_filter.h"
#include "capture/events.h"
#include "capture/metrics_publisher.h"
#include "capture/sanitize_worker.h"
#include "capture/segment_name.h"
#include "capture/signal_watch.h"
#include "common/anon/anon_key.h"
#include "common/errors.h"
#include "common/interrupt.h"
#include "common/output_file.h"
#include "common/stats_schema.h"
#include "common/status_line.h"

namespace pktmask {

namespace {

constexpr size_t kQueueCapacity = 1 << 16;

struct CaptureState {
  bool capture_done = false;
  bool cleaner_done = false;
  int fatal = 0;  // the first start or run failure: the exit status
  std::string fatal_text;
  int clean_failure = 0;  // the first clean-up failure: the exit status when nothing else failed
  uint64_t backlog = 0, max_backlog = 0;
  uint64_t captured = 0, sanitized = 0, failed = 0, compressed = 0, retention_deleted = 0, cleanup_failures = 0;
  uint64_t kept = 0, masked = 0, sanitized_bytes = 0;
  uint64_t directions_carried = 0, directions_forgotten = 0;
  uint64_t closed_packets = 0, closed_bytes = 0;  // in closed segments: ahead of the 2-second progress
  std::optional<int64_t> last_packet_us;          // of the newest closed segment
  CaptureTotals capture;                          // the capture worker's latest
  std::string reason;
};

std::string megabytes(uint64_t bytes) { return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6); }

class Manager {
 public:
  Manager(const CaptureOptions& options, const std::string& id, EventLog& events, MetricsPublisher& metrics)
      : options_(options),
        id_(id),
        events_(events),
        metrics_(metrics),
        filter_(id),
        status_(options.progress, std::chrono::seconds(1)) {}

  int run(StartedCapture& started) {
    CaptureWorkerConfig worker = options_.worker;
    worker.raw_dir = started.raw_dir();
    if (!options_.replay.empty()) worker.wait_at_backlog = options_.max_backlog;
    SanitizeConfig sanitize{options_.output_dir,
                            options_.name_template,
                            id_,
                            static_cast<int64_t>(options_.flow_timeout_seconds * 1e6),
                            options_.self_check,
                            options_.policy,
                            options_.anon};
    CleanerConfig clean{options_.output_dir, segment_glob(options_.name_template), options_.compression,
                        options_.compression_level, options_.retention};
    Outbox capture_out(inbox_, Actor::capture, id_), sanitize_out(inbox_, Actor::sanitizer, id_),
        cleaner_out(inbox_, Actor::cleaner, id_), signal_out(inbox_, Actor::signals, id_);
    std::string raw_dir = started.raw_dir();
    SignalWatch signals(
        [&signal_out](int number) {
          signal_out.send({.kind = MessageKind::stop, .detail = StopSignal{number == SIGTERM ? "SIGTERM" : "SIGINT"}});
        },
        [raw_dir](int number) {
          remove_raw_segments_now(raw_dir);
          remove_emergency_file();
          fmt::print(stderr, "\npktmask: capture: second signal ({}): cancelled, raw segments deleted\n", number);
          ::_exit(static_cast<int>(ExitCode::run_cancelled));
        });
    emit({.kind = MessageKind::start, .detail = start_detail(started)});
    {
      std::jthread capture([&] { run_capture_worker(started.source(), worker, commands_, capture_out); });
      std::jthread sanitizer([&] { run_sanitize_worker(to_sanitizer_, sanitize, sanitize_out); });
      std::jthread cleaner([&] { run_cleaner(to_cleaner_, clean, cleaner_out); });
      while (!state_.cleaner_done) {
        if (auto message = inbox_.pop_for(std::chrono::milliseconds(500)); message && filter_.accept(*message))
          handle(*message);
        status_.show(status_text());
        if (metrics_.due()) metrics_.publish(metrics_snapshot(true));
      }
    }
    if (size_t left = started.remove_raw_dir(); left > 0 && state_.fatal == 0)
      set_fatal(ExitCode::clean_delete_failed, fmt::format("{} raw segments were left and deleted at the end", left));
    return finish();
  }

 private:
  void handle(const Message& message) {
    emit_report(message);
    switch (message.from) {
      case Actor::signals:
        command(MessageKind::stop);
        break;
      case Actor::capture:
        from_capture(message);
        break;
      case Actor::sanitizer:
        from_sanitizer(message);
        break;
      case Actor::cleaner:
        from_cleaner(message);
        break;
      case Actor::manager:
        break;
    }
  }

  void from_capture(const Message& message) {
    if (message.kind == MessageKind::progress || message.kind == MessageKind::finished ||
        message.kind == MessageKind::failed)
      state_.capture = std::get<CaptureTotals>(message.detail);
    switch (message.kind) {
      case MessageKind::file_ready:
        ++state_.captured;
        state_.closed_packets += std::get<RawSegmentReady>(message.detail).packets;
        state_.closed_bytes += std::get<RawSegmentReady>(message.detail).bytes;
        state_.last_packet_us = std::get<RawSegmentReady>(message.detail).last_time_us;
        state_.max_backlog = std::max(state_.max_backlog, ++state_.backlog);
        // The segment is sanitized all the same: dropping it would lose data silently.
        if (state_.backlog > options_.max_backlog)
          set_fatal(ExitCode::run_backlog_exceeded,
                    fmt::format("sanitizing fell behind: {} raw segments waiting (--max-backlog {})", state_.backlog,
                                options_.max_backlog));
        to_sanitizer_.push(message);
        break;
      case MessageKind::finished:
      case MessageKind::failed:
        if (message.kind == MessageKind::failed) set_fatal(static_cast<ExitCode>(message.code), message.text);
        state_.reason = message.kind == MessageKind::finished ? state_.capture.reason : "failed";
        state_.capture_done = true;
        to_sanitizer_.close();
        break;
      default:
        break;
    }
  }

  void from_sanitizer(const Message& message) {
    switch (message.kind) {
      case MessageKind::file_ready: {
        const auto& segment = std::get<SanitizedSegment>(message.detail);
        segment_gone();
        ++state_.sanitized;
        state_.kept += segment.tcp_payload_bytes_kept;
        state_.masked += segment.tcp_payload_bytes_masked;
        state_.sanitized_bytes += segment.bytes;
        state_.directions_carried = segment.directions_carried;
        state_.directions_forgotten += segment.directions_forgotten;
        to_cleaner_.push(message);
        break;
      }
      case MessageKind::failed:
        segment_gone();
        ++state_.failed;
        // Later segments cannot be sanitized without this one's state: stop capturing them.
        set_fatal(static_cast<ExitCode>(message.code), message.text, MessageKind::cancel);
        break;
      case MessageKind::finished:
        to_cleaner_.close();
        break;
      default:
        break;
    }
  }

  void segment_gone() {
    --state_.backlog;
    if (!state_.capture_done) commands_.push({.kind = MessageKind::credit, .capture_id = id_});
  }

  void from_cleaner(const Message& message) {
    switch (message.kind) {
      case MessageKind::compressed:
        ++state_.compressed;
        break;
      case MessageKind::deleted:
        state_.retention_deleted += std::get<RetentionDeleted>(message.detail).files.size();
        break;
      case MessageKind::compress_failed:
      case MessageKind::failed:
        ++state_.cleanup_failures;
        if (state_.clean_failure == 0) state_.clean_failure = message.code;
        fmt::print(stderr, "{}pktmask: capture: {}\n", status_.enabled() ? "\n" : "", message.text);
        break;
      case MessageKind::finished:
        state_.cleaner_done = true;
        break;
      default:
        break;
    }
  }

  void set_fatal(ExitCode code, const std::string& text, MessageKind stop_with = MessageKind::stop) {
    if (state_.fatal == 0) {
      state_.fatal = static_cast<int>(code);
      state_.fatal_text = text;
    }
    command(stop_with);
  }

  void command(MessageKind kind) {
    if (state_.capture_done || stop_sent_ == MessageKind::cancel || stop_sent_ == kind) return;
    stop_sent_ = kind;
    emit({.kind = kind});
    commands_.push({.kind = kind, .capture_id = id_});
  }

  // The manager's own messages go straight to the event log.
  void emit(Message message) {
    message.from = Actor::manager;
    message.capture_id = id_;
    message.version = ++version_;
    message.time_us = now_us();
    events_.write(to_event(message));
  }

  void emit_report(const Message& message) { events_.write(to_event(message)); }

  CaptureStart start_detail(const StartedCapture& started) const {
    return {.output_dir = options_.output_dir,
            .pid = ::getpid(),
            .stale_raw_removed = started.stale_removed(),
            .interface = options_.live.interface,
            .replay = options_.replay,
            .policy = options_.policy,
            .anon = options_.anon.settings,
            .key_id = options_.anon.key ? key_id(*options_.anon.key) : ""};
  }

  std::string status_text() const {
    return fmt::format("capture: {} packets, {} | segments: {} closed, {} sanitized, backlog {} | drops {}",
                       std::max(state_.capture.packets, state_.closed_packets),
                       megabytes(std::max(state_.capture.bytes, state_.closed_bytes)), state_.captured,
                       state_.sanitized, state_.backlog, kernel_dropped());
  }

  uint64_t kernel_dropped() const { return state_.capture.source.kernel ? state_.capture.source.kernel->dropped : 0; }

  // The run so far: the last event, --stats and the metrics.
  CaptureSummary summary() const {
    return {.capture = state_.capture,
            .reason = state_.reason,
            .exit_code = exit_status(),
            .segments_captured = state_.captured,
            .segments_sanitized = state_.sanitized,
            .segments_failed = state_.failed,
            .segments_compressed = state_.compressed,
            .segments_deleted_by_retention = state_.retention_deleted,
            .cleanup_failures = state_.cleanup_failures,
            .max_backlog = state_.max_backlog,
            .sanitized_bytes = state_.sanitized_bytes,
            .tcp_payload_bytes_kept = state_.kept,
            .tcp_payload_bytes_masked = state_.masked,
            .directions_carried = state_.directions_carried,
            .directions_forgotten = state_.directions_forgotten,
            .policy = options_.policy,
            .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count()};
  }

  MetricsSnapshot metrics_snapshot(bool up) const {
    return {.up = up, .counters = summary(), .backlog = state_.backlog, .last_packet_time_us = state_.last_packet_us};
  }

  int finish() {
    status_.clear();
    CaptureSummary summary = this->summary();
    Message finished{.kind = MessageKind::finished, .detail = summary};
    if (state_.fatal) {
      finished.kind = MessageKind::failed;
      finished.code = state_.fatal;
      finished.text = state_.fatal_text;
      fmt::print(stderr, "pktmask: capture: {}\n", state_.fatal_text);
    }
    emit(std::move(finished));
    if (!options_.stats.empty()) write_summary(summary);
    metrics_.publish(metrics_snapshot(false));
    if (status_.enabled())
      fmt::print(stderr,
                 "pktmask: captured {} packets ({}), {} segments sanitized, {} payload bytes masked, {} kernel drops\n",
                 summary.capture.packets, megabytes(summary.capture.bytes), state_.sanitized, state_.masked,
                 kernel_dropped());
    return exit_status();
  }

  int exit_status() const { return state_.fatal != 0 ? state_.fatal : state_.clean_failure; }

  // capture --stats: the summary event's fields, its error, and the --stats schema (docs/usage.md).
  void write_summary(const CaptureSummary& summary) const {
    nlohmann::json json = summary_json(summary);
    json["schema"] = kStatsSchema;
    if (state_.fatal) json["error"] = state_.fatal_text;
    try {
      OutputFile out(options_.stats);
      out.write(json.dump(2) + "\n");
      out.commit();
    } catch (const std::exception& e) {
      fmt::print(stderr, "pktmask: capture: {}\n", e.what());
    }
  }

  const CaptureOptions& options_;
  std::string id_;
  EventLog& events_;
  MetricsPublisher& metrics_;
  DuplicateFilter filter_;
  StatusLine status_;
  CaptureState state_;
  uint64_t version_ = 0;
  MessageKind stop_sent_ = MessageKind::start;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  MessageQueue<Message> inbox_{kQueueCapacity}, commands_{kQueueCapacity}, to_sanitizer_{kQueueCapacity},
      to_cleaner_{kQueueCapacity};
};

int start_failed(const Error& failure) {
  fmt::print(stderr, "pktmask: capture: {}\n", failure.what());
  return static_cast<int>(failure.code());
}

}  // namespace

int run_capture(const CaptureOptions& options) {
  std::string id = new_capture_id();
  MetricsIdentity metrics_identity{id, options.output_dir, static_cast<double>(now_us()) / 1e6, options.max_backlog};
  std::unique_ptr<EventLog> events;
  try {
    events = std::make_unique<EventLog>(options.events);
  } catch (const Error& e) {
    return start_failed(e);
  }
  std::unique_ptr<MetricsPublisher> metrics;
  try {
    metrics = std::make_unique<MetricsPublisher>(options.metrics, metrics_identity);
    StartedCapture started(options, id);
    return Manager(options, id, *events, *metrics).run(started);
  } catch (const Error& e) {
    if (metrics) {
      MetricsSnapshot down{.up = false};
      down.counters.exit_code = static_cast<int>(e.code());
      metrics->publish(down);
    }
    Message failed{.kind = MessageKind::failed,
                   .from = Actor::manager,
                   .capture_id = id,
                   .version = 1,
                   .time_us = now_us(),
                   .code = static_cast<int>(e.code()),
                   .text = e.what()};
    events->write(to_event(failed));
    return start_failed(e);
  }
}

}  // namespace pktmask

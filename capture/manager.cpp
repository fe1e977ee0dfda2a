// The manager: starts the capture, then alone owns its state, acting on the
// workers' reports one at a time, in the order they arrive.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <thread>

#include <fmt/format.h>

#include "capture/capture_options.h"
#include "capture/capture_start.h"
#include "capture/cleaner.h"
#include "capture/config_snapshot.h"
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
constexpr size_t kResultFilesPerMessage = 100;  // the contract's batch size

struct CaptureState {
  bool capture_done = false;
  bool cleaner_done = false;
  int fatal = 0;  // the first start or run failure: the exit status
  std::string fatal_text;
  uint64_t backlog = 0, max_backlog = 0;
  uint64_t captured = 0, sanitized = 0, failed = 0, compressed = 0, retention_deleted = 0, cleanup_failures = 0;
  uint64_t kept = 0, masked = 0, sanitized_bytes = 0;
  uint64_t directions_carried = 0, directions_forgotten = 0;
  uint64_t closed_packets = 0, closed_bytes = 0;  // in closed segments: ahead of the 2-second progress
  CaptureStats capture;                           // the capture worker's latest
  std::string reason;
  std::vector<ReadyFile> result_files;  // every sanitized file, in order
};

std::string megabytes(uint64_t bytes) { return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6); }

// Every event's `key`: --key-name, else the output directory as given.
std::string event_key(const CaptureOptions& options) {
  return options.key_name.empty() ? options.output_dir : options.key_name;
}

std::string absolute_path(const std::string& path) {
  return std::filesystem::absolute(path).lexically_normal().string();
}

// Leaves at once, deleting the raw data: from the signal thread, while the
// manager may be stuck.
[[noreturn]] void abandon(const std::string& raw_dir, ExitCode code, const std::string& why) {
  remove_raw_segments_now(raw_dir);
  remove_emergency_file();
  fmt::print(stderr, "\npktmask: capture: {}: raw segments deleted\n", why);
  ::_exit(static_cast<int>(code));
}

class Manager {
 public:
  Manager(const CaptureOptions& options, const std::string& id, EventLog& events, MetricsPublisher& metrics)
      : options_(options),
        id_(id),
        key_(event_key(options)),
        config_(options.config),
        events_(events),
        metrics_(metrics),
        filter_(id),
        status_(options.progress, std::chrono::seconds(1)) {}

  int run(StartedCapture& started) {
    CaptureWorkerConfig worker = options_.worker;
    worker.raw_dir = started.raw_dir();
    worker.target = started.target_process();
    if (!options_.replay.empty()) worker.wait_at_backlog = options_.max_backlog;
    worker.heartbeat_seconds = options_.heartbeat_seconds;
    SanitizeConfig sanitize{absolute_path(options_.output_dir),
                            options_.name_template,
                            id_,
                            static_cast<int64_t>(options_.flow_timeout_seconds * 1e6),
                            options_.hold_seconds,
                            options_.self_check,
                            options_.policy,
                            options_.anon};
    CleanerConfig clean{options_.output_dir, options_.name_template, options_.cleaner, options_.heartbeat_seconds};
    Outbox capture_out(inbox_, Actor::capture, id_), sanitize_out(inbox_, Actor::sanitizer, id_),
        cleaner_out(inbox_, Actor::cleaner, id_), signal_out(inbox_, Actor::signals, id_);
    std::string raw_dir = started.raw_dir();
    SignalWatch signals(
        [&signal_out](int number) {
          signal_out.send({.kind = MessageKind::stop, .detail = StopSignal{number == SIGTERM ? "SIGTERM" : "SIGINT"}});
        },
        [raw_dir](int number) {
          abandon(raw_dir, ExitCode::run_cancelled, fmt::format("second signal ({}): cancelled", number));
        },
        std::chrono::duration_cast<std::chrono::milliseconds>(
            std::chrono::duration<double>(options_.stop_timeout_seconds)),
        [raw_dir, timeout = options_.stop_timeout_seconds] {
          abandon(raw_dir, ExitCode::run_timeout, fmt::format("the stop took longer than --stop-timeout {}", timeout));
        },
        [&signal_out] { signal_out.send({.kind = MessageKind::reload}); });
    emit({.kind = MessageKind::start, .detail = start_detail(started)});
    {
      std::jthread capture([&] { run_capture_worker(started.source(), worker, commands_, capture_out); });
      std::jthread sanitizer([&] { run_sanitize_worker(to_sanitizer_, sanitize, sanitize_out); });
      std::jthread cleaner([&] { run_cleaner(to_cleaner_, clean, cleaner_out); });
      while (!state_.cleaner_done) {
        if (auto message = inbox_.pop_for(std::chrono::milliseconds(500)); message && filter_.accept(*message))
          handle(std::move(*message));
        status_.show(status_text());
        if (metrics_.due()) metrics_.publish(metrics_snapshot(true));
      }
    }
    if (size_t left = started.remove_raw_dir(); left > 0 && state_.fatal == 0)
      set_fatal(ExitCode::clean_delete_failed, fmt::format("{} raw segments were left and deleted at the end", left));
    return finish();
  }

 private:
  void handle(Message message) {
    complete(message);
    emit_report(message);
    switch (message.from) {
      case Actor::signals:
        if (message.kind == MessageKind::reload)
          reload_cleaner();
        else
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

  // What a worker cannot know, the manager adds before the report becomes an event.
  void complete(Message& message) const {
    if (message.from == Actor::capture && message.kind == MessageKind::started) {
      auto& started = std::get<CaptureStarted>(message.detail);
      started.config_hash = config_.hash;
      // Without {time} in the template, the first sanitized name is known before its first packet.
      if (options_.name_template.find("{time}") == std::string::npos)
        started.first_output_file =
            absolute_path(options_.output_dir + "/" + segment_name(options_.name_template, 1, 0, id_, started.format));
    }
    if (message.kind == MessageKind::file_ready && state_.capture_done)
      std::get<SanitizedSegment>(message.detail).total_segments = state_.captured;
  }

  void from_capture(const Message& message) {
    if (const auto* stats = std::get_if<CaptureStats>(&message.detail)) state_.capture = *stats;
    switch (message.kind) {
      case MessageKind::raw_closed:
        ++state_.captured;
        state_.closed_packets += std::get<RawSegmentClosed>(message.detail).packets;
        state_.closed_bytes += std::get<RawSegmentClosed>(message.detail).bytes;
        state_.max_backlog = std::max(state_.max_backlog, ++state_.backlog);
        // The segment is sanitized all the same: dropping it would lose data silently.
        if (state_.backlog > options_.max_backlog)
          set_fatal(ExitCode::run_backlog_exceeded,
                    fmt::format("sanitizing fell behind: {} raw segments waiting (--max-backlog {})", state_.backlog,
                                options_.max_backlog));
        to_sanitizer_.push(message);
        break;
      case MessageKind::capture_ended:
        state_.capture = std::get<CaptureEnded>(message.detail).stats;
        state_.reason = std::get<CaptureEnded>(message.detail).reason;
        ended_capture();
        break;
      case MessageKind::capture_failed:
        set_fatal(static_cast<ExitCode>(message.error_code), message.error_msg);
        state_.reason = "failed";
        ended_capture();
        break;
      default:
        break;
    }
  }

  void ended_capture() {
    state_.capture_done = true;
    to_sanitizer_.close();
  }

  void from_sanitizer(const Message& message) {
    switch (message.kind) {
      case MessageKind::file_ready: {
        const auto& segment = std::get<SanitizedSegment>(message.detail);
        segment_gone();
        ++state_.sanitized;
        state_.kept += segment.masking.tcp_payload_bytes_kept;
        state_.masked += segment.masking.tcp_payload_bytes_masked;
        state_.sanitized_bytes += segment.file.size;
        state_.directions_carried = segment.masking.directions_carried;
        state_.directions_forgotten += segment.masking.directions_forgotten;
        state_.result_files.push_back(segment.file);
        Message stored = message;
        stored.path = segment.file.path;
        to_cleaner_.push(std::move(stored));
        break;
      }
      case MessageKind::sanitize_failed:
        segment_gone();
        ++state_.failed;
        // Later segments cannot be sanitized without this one's state: stop capturing them.
        set_fatal(static_cast<ExitCode>(message.error_code), message.error_msg, MessageKind::cancel);
        break;
      case MessageKind::worker_done:
        to_cleaner_.close();
        break;
      default:
        break;
    }
  }

  // A configuration that cannot be read leaves the cleaner as it was: the
  // capture goes on, and the event says why nothing changed.
  void reload_cleaner() {
    if (!options_.reread_cleaner) return;
    try {
      to_cleaner_.push({.kind = MessageKind::clean_config_refresh,
                        .capture_id = id_,
                        .detail = CleanerRefresh{options_.reread_cleaner()}});
    } catch (const Error& e) {
      emit({.kind = MessageKind::clean_config_refresh,
            .error_code = static_cast<int>(ExitCode::start_invalid_params),
            .error_msg = fmt::format("{}; the cleaner keeps its settings", e.what())});
      fmt::print(stderr, "{}pktmask: capture: {}; the cleaner keeps its settings\n", status_.enabled() ? "\n" : "",
                 e.what());
    }
  }

  void segment_gone() {
    --state_.backlog;
    if (!state_.capture_done) commands_.push({.kind = MessageKind::credit, .capture_id = id_});
  }

  void from_cleaner(const Message& message) {
    switch (message.kind) {
      case MessageKind::compressed:
        state_.compressed += std::get<CompressedFiles>(message.detail).compressed_files.size();
        break;
      case MessageKind::deleted:
        state_.retention_deleted += std::get<RetentionDeleted>(message.detail).files.size();
        break;
      case MessageKind::compress_failed:
      case MessageKind::clean_failed:
        ++state_.cleanup_failures;
        fmt::print(stderr, "{}pktmask: capture: {}\n", status_.enabled() ? "\n" : "", message.error_msg);
        break;
      case MessageKind::worker_done:
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
    message.ts_usec = now_us();
    events_.write(to_event(message, key_));
  }

  void emit_report(const Message& message) { events_.write(to_event(message, key_)); }

  CaptureStart start_detail(const StartedCapture& started) const {
    const CaptureWorkerConfig& worker = options_.worker;
    return {.output_dir = absolute_path(options_.output_dir),
            .file_pattern = options_.name_template,
            .manager_pid = ::getpid(),
            .stale_raw_removed = started.stale_removed(),
            .interface = options_.live.interface,
            .netns = options_.live.target.netns,
            .container = options_.live.target.container,
            .target_pid = started.target_process() ? started.target_process()->pid() : 0,
            .filter = options_.live.filter,
            .snaplen = options_.live.snaplen,
            .replay = options_.replay,
            .limits = {.duration_seconds = worker.duration_seconds,
                       .max_bytes = worker.max_bytes,
                       .max_packets = worker.max_packets,
                       .rotate_bytes = worker.rotate_bytes,
                       .rotate_seconds = worker.rotate_seconds,
                       .rotate_packets = worker.rotate_packets},
            .config = config_,
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
            .exit_code = state_.fatal,
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
    return {.up = up, .counters = summary(), .backlog = state_.backlog, .last_packet_time_us = state_.capture.last_packet_ts_usec != 0
                                       ? std::optional<int64_t>(state_.capture.last_packet_ts_usec)
                                       : std::nullopt};
  }

  int finish() {
    status_.clear();
    CaptureSummary summary = this->summary();
    if (state_.fatal) {
      fmt::print(stderr, "pktmask: capture: {}\n", state_.fatal_text);
      emit({.kind = MessageKind::failed,
            .error_code = state_.fatal,
            .error_msg = state_.fatal_text,
            .detail = RunFailed{.stats = summary.capture, .failed_ts_usec = now_us(), .summary = summary}});
    } else {
      emit_finished(summary);
    }
    if (!options_.stats.empty()) write_summary(summary);
    metrics_.publish(metrics_snapshot(false));
    if (status_.enabled())
      fmt::print(stderr,
                 "pktmask: captured {} packets ({}), {} segments sanitized, {} payload bytes masked, {} kernel drops\n",
                 summary.capture.packets, megabytes(summary.capture.bytes), state_.sanitized, state_.masked,
                 kernel_dropped());
    return state_.fatal;
  }

  // One `finished` per batch of result files, at least one; the run is over at batch == batches.
  void emit_finished(const CaptureSummary& summary) {
    const std::vector<ReadyFile>& files = state_.result_files;
    int64_t finish_ts = now_us();
    uint64_t batches = std::max<uint64_t>(1, (files.size() + kResultFilesPerMessage - 1) / kResultFilesPerMessage);
    for (uint64_t batch = 0; batch < batches; ++batch) {
      size_t first = batch * kResultFilesPerMessage;
      size_t last = std::min(files.size(), first + kResultFilesPerMessage);
      emit({.kind = MessageKind::finished,
            .detail = RunFinished{.summary = summary,
                                  .finish_ts_usec = finish_ts,
                                  .result_files = {files.begin() + static_cast<std::ptrdiff_t>(first),
                                                   files.begin() + static_cast<std::ptrdiff_t>(last)},
                                  .batch = batch + 1,
                                  .batches = batches}});
    }
  }

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
  std::string key_;  // every event's `key`
  ConfigSnapshot config_;
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
  MetricsIdentity metrics_identity{id, event_key(options), static_cast<double>(now_us()) / 1e6, options.max_backlog};
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
    int64_t now = now_us();
    Message failed{.kind = MessageKind::failed,
                   .from = Actor::manager,
                   .capture_id = id,
                   .version = 1,
                   .ts_usec = now,
                   .error_code = static_cast<int>(e.code()),
                   .error_msg = e.what(),
                   .detail = RunFailed{.failed_ts_usec = now}};
    events->write(to_event(failed, event_key(options)));
    return start_failed(e);
  }
}

}  // namespace pktmask

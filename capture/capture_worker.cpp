#include "capture/capture_worker.h"

#include <sys/resource.h>
#include <unistd.h>

#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "capture/segment_writer.h"
#include "common/errors.h"

namespace pktmask {

namespace {

// Progress reports: whichever comes first.
constexpr auto kProgressInterval = std::chrono::seconds(2);
constexpr uint64_t kProgressPackets = 10000;
constexpr uint64_t kProgressBytes = 100u << 20;
// Commands and the duration limit are heard this often while records flow
// (a trickle of packets must not delay a stop).
constexpr auto kCheckInterval = std::chrono::milliseconds(100);
constexpr const char* kTargetExited = "target exited";

// User and system time of the whole process (all its threads).
double process_cpu_seconds() {
  rusage usage{};
  if (::getrusage(RUSAGE_SELF, &usage) != 0) return 0;
  auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

// Thrown out of a wait for credit when a stop or cancel arrives instead.
struct Stopped {};

class CaptureLoop {
 public:
  CaptureLoop(PacketSource& source, const CaptureWorkerConfig& config, MessageQueue<Message>& commands, Outbox& out)
      : source_(source), config_(config), commands_(commands), out_(out), writer_(config.raw_dir, source.extension()) {
    // A replayed pipe may stall mid-record: commands and the clock must still be heard.
    source_.set_stall_check([this] { return check_commands_and_clock().empty(); });
  }

  void run() {
    try {
      out_.send(
          {.kind = MessageKind::started,
           .detail = CaptureStarted{.format = source_.extension(),
                                    .worker_pid = ::getpid(),
                                    .first_output_file = raw_segment_path(config_.raw_dir, 1, source_.extension())}});
      std::string reason;
      try {
        reason = loop();
      } catch (const Stopped&) {
        reason = stopping_ == MessageKind::stop ? "stopped" : "cancelled";
      }
      if (writer_.is_open()) close_segment();
      if (reason == kTargetExited) {
        // A failure, but what was captured is good: closed above, sanitized as after a stop.
        out_.send({.kind = MessageKind::capture_failed,
                   .error_code = static_cast<int>(ExitCode::run_process_died),
                   .error_msg = fmt::format("the target process {} exited", config_.target->pid()),
                   .detail = stats()});
        return;
      }
      out_.send({.kind = MessageKind::capture_ended, .detail = CaptureEnded{stats(), reason}});
    } catch (const Error& e) {
      fail(e.code(), e.what());
    } catch (const std::exception& e) {
      fail(ExitCode::run_capture_died, e.what());
    }
  }

 private:
  std::string loop() {
    SourceRecord record;
    auto next_check = std::chrono::steady_clock::now();
    while (true) {
      if (auto now = std::chrono::steady_clock::now(); now >= next_check) {
        if (std::string why = check_commands_and_clock(); !why.empty()) return why;
        next_check = now + kCheckInterval;
      }
      SourceStatus status = source_.next(record);
      if (status == SourceStatus::end) {
        std::string why = check_commands_and_clock();
        return why.empty() ? "end of input" : why;
      }
      if (status == SourceStatus::idle) {
        close_idle_segment();
        next_check = std::chrono::steady_clock::now();
        continue;
      }
      write(record);
      if (record.role != RecordRole::packet) continue;
      report_progress();
      if (config_.max_packets && totals_.packets >= config_.max_packets) return "max-packets";
      if (config_.max_bytes && totals_.bytes >= config_.max_bytes) return "max-bytes";
    }
  }

  void write(const SourceRecord& record) {
    if (record.role == RecordRole::packet) {
      if (writer_.is_open() && needs_rotation(record)) close_segment();
      if (!writer_.is_open()) open_segment();
      writer_.write(record.raw);
      writer_.count_packet(record.time_us);
      if (totals_.packets++ == 0) totals_.first_packet_ts_usec = record.time_us;
      totals_.last_packet_ts_usec = record.time_us;
      totals_.bytes += record.raw.size();
      return;
    }
    // A header is already in the preamble of the segment opened next.
    if (writer_.is_open())
      writer_.write(record.raw);
    else if (record.role == RecordRole::other) {
      open_segment();
      writer_.write(record.raw);
    }
  }

  void open_segment() {
    while (config_.wait_at_backlog && totals_.segments - credits_ >= config_.wait_at_backlog && !stopping_) {
      if (auto command = commands_.pop_for(kCheckInterval)) take(*command);
      report_heartbeat();
    }
    if (stopping_) throw Stopped{};
    writer_.open(++totals_.segments, source_.preamble());
  }

  void take(const Message& command) {
    if (command.kind == MessageKind::credit)
      ++credits_;
    else if (command.kind == MessageKind::stop || command.kind == MessageKind::cancel)
      stopping_ = command.kind;
  }

  bool needs_rotation(const SourceRecord& record) const {
    const RawSegment& segment = writer_.current();
    if (segment.packets == 0) return false;
    if (config_.rotate_packets && segment.packets >= config_.rotate_packets) return true;
    if (config_.rotate_bytes && segment.bytes + record.raw.size() > config_.rotate_bytes) return true;
    return config_.rotate_seconds && record.time_us - segment.first_time_us >= config_.rotate_seconds * 1000000;
  }

  // A quiet live link still closes its segment on time.
  void close_idle_segment() {
    if (!writer_.is_open() || config_.rotate_seconds == 0 || writer_.current().packets == 0) return;
    if (now_us() - writer_.current().first_time_us >= config_.rotate_seconds * 1000000) close_segment();
  }

  void close_segment() {
    RawSegment segment = writer_.close();
    out_.send({.kind = MessageKind::raw_closed,
               .segment = segment.index,
               .path = segment.path,
               .detail = RawSegmentClosed{segment.packets, segment.bytes, segment.first_time_us, segment.last_time_us,
                                          source_.extension()}});
  }

  // Commands, the duration limit and the target process, checked on kCheckInterval and whenever idle.
  std::string check_commands_and_clock() {
    report_heartbeat();
    while (auto command = commands_.try_pop()) take(*command);
    if (stopping_ == MessageKind::stop) return "stopped";
    if (stopping_ == MessageKind::cancel) {
      if (writer_.is_open()) writer_.discard();
      return "cancelled";
    }
    std::chrono::duration<double> ran = std::chrono::steady_clock::now() - start_;
    if (config_.duration_seconds > 0 && ran.count() >= config_.duration_seconds) return "duration";
    if (config_.target && config_.target->exited()) return kTargetExited;
    return {};
  }

  void report_progress() {
    auto now = std::chrono::steady_clock::now();
    if (totals_.packets - reported_.packets < kProgressPackets && totals_.bytes - reported_.bytes < kProgressBytes &&
        now - last_report_ < kProgressInterval)
      return;
    reported_ = totals_;
    last_report_ = now;
    out_.send({.kind = MessageKind::progress, .detail = stats()});
  }

  // Sent whether packets flow or not: a monitor tells an idle capture from a hung one.
  void report_heartbeat() {
    auto now = std::chrono::steady_clock::now();
    if (now < next_heartbeat_) return;
    next_heartbeat_ = now + heartbeat_interval_;
    out_.send({.kind = MessageKind::heartbeat, .detail = stats()});
  }

  // The counters the loop keeps, with what is read only when reported.
  CaptureStats stats() {
    CaptureStats stats = totals_;
    stats.current_file_size = writer_.is_open() ? writer_.current().bytes : 0;
    stats.cpu_seconds = process_cpu_seconds();
    stats.source = source_.statistics();
    return stats;
  }

  void fail(ExitCode code, const std::string& text) {
    if (writer_.is_open()) writer_.discard();
    out_.send({.kind = MessageKind::capture_failed,
               .error_code = static_cast<int>(code),
               .error_msg = text,
               .detail = stats()});
  }

  PacketSource& source_;
  const CaptureWorkerConfig& config_;
  MessageQueue<Message>& commands_;
  Outbox& out_;
  SegmentWriter writer_;
  CaptureStats totals_, reported_;  // packets, bytes, segments and packet times; the rest is filled by stats()
  uint64_t credits_ = 0;
  std::optional<MessageKind> stopping_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_report_ = start_;
  std::chrono::steady_clock::duration heartbeat_interval_ =
      std::chrono::duration_cast<std::chrono::steady_clock::duration>(
          std::chrono::duration<double>(config_.heartbeat_seconds));
  std::chrono::steady_clock::time_point next_heartbeat_ = start_ + heartbeat_interval_;
};

}  // namespace

void run_capture_worker(PacketSource& source, const CaptureWorkerConfig& config, MessageQueue<Message>& commands,
                        Outbox& out) {
  CaptureLoop(source, config, commands, out).run();
}

}  // namespace pktmask

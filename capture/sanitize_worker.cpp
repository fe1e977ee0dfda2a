#include "capture/sanitize_worker.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <optional>

#include <fmt/format.h>

#include "capture/file_digest.h"
#include "capture/flow_expiry.h"
#include "capture/segment_name.h"
#include "common/errors.h"
#include "marker/marker.h"
#include "marker/segment_look_ahead.h"
#include "masker/masker.h"

namespace pktmask {

namespace {

// The raw segment may only go once its sanitized copy survives a crash.
void make_durable(const std::string& path, const std::string& dir) {
  for (const std::string& name : {path, dir}) {
    int fd = ::open(name.c_str(), O_RDONLY | O_CLOEXEC);
    bool ok = fd >= 0 && ::fsync(fd) == 0;
    int error = errno;
    if (fd >= 0) ::close(fd);
    if (!ok) throw Error(ExitCode::output_failed, fmt::format("{}: cannot sync: {}", name, std::strerror(error)));
  }
}

ExitCode failure_code(const std::exception& failure) {
  const auto* error = dynamic_cast<const Error*>(&failure);
  return error != nullptr && error->code() == ExitCode::output_failed ? ExitCode::run_disk_full : ExitCode::internal;
}

void remove_raw(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw Error(ExitCode::clean_delete_failed,
                fmt::format("{}: cannot delete raw segment: {}", path, std::strerror(errno)));
}

class Sanitizer {
 public:
  Sanitizer(const SanitizeConfig& config, Outbox& out) : config_(config), out_(out), expiry_(config.flow_timeout_us) {}

  // Marks the segment, masks the one held before with it as the look-ahead,
  // then holds this one (or masks it at once, without a look-ahead).
  // Sanitizing fails as a whole: for want of space or another output error
  // (run_disk_full), or unexpectedly (internal: a failed self-check is a bug).
  // Only the raw segment's deletion has a code of its own.
  void take(const Message& segment) {
    if (broken_after_ != 0) {
      fail_after_broken(segment);
      return;
    }
    out_.send({.kind = MessageKind::sanitize_started, .segment = segment.segment, .path = segment.path});
    std::optional<Marked> marked;
    try {
      marked = mark(segment);
    } catch (const std::exception& e) {
      release();
      fail(segment, failure_code(e), fmt::format("segment {}: {}", segment.segment, e.what()));
      return;
    }
    if (held_) {
      publish(*held_, &*marked);
      held_.reset();
    }
    if (broken_after_ != 0)
      fail_after_broken(segment);
    else if (config_.hold_seconds > 0)
      held_ = std::move(marked);
    else
      publish(*marked, nullptr);
  }

  // Masks the held segment without a look-ahead.
  void release() {
    if (!held_) return;
    publish(*held_, nullptr);
    held_.reset();
  }

  // When the held segment's wait ends; none while nothing is held.
  std::optional<std::chrono::steady_clock::time_point> release_at() const {
    if (!held_) return std::nullopt;
    return held_->taken + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                              std::chrono::duration<double>(config_.hold_seconds));
  }

 private:
  struct Marked {
    Message segment;
    CaptureSegment input;  // the raw file and the flow tracker's state at its start
    KeepRuleSet rules;
    size_t directions_carried = 0;
    uint64_t directions_forgotten = 0;
    std::chrono::steady_clock::time_point taken;
  };

  Marked mark(const Message& segment) {
    const auto& raw = std::get<RawSegmentClosed>(segment.detail);
    Marked marked{
        .segment = segment, .input = {segment.path, {}}, .rules = {}, .taken = std::chrono::steady_clock::now()};
    MarkState next;
    MarkJob job{.input = segment.path, .engine = Engine::native, .policy = config_.policy};
    job.state_in = segment.segment == 1 ? nullptr : &state_;
    job.state_out = &next;
    marked.rules = mark_capture(job);
    marked.input.carried = marked.rules.carried_directions;
    marked.directions_forgotten = expiry_.prune(state_, next, raw.last_packet_ts_usec);
    state_ = std::move(next);
    marked.directions_carried = state_.directions.size();
    return marked;
  }

  void publish(Marked& marked, const Marked* next) {
    Message done;
    try {
      done = mask(marked, next);
    } catch (const std::exception& e) {
      fail(marked.segment, failure_code(e), fmt::format("segment {}: {}", marked.segment.segment, e.what()));
      return;
    }
    try {
      remove_raw(marked.segment.path);
    } catch (const Error& e) {
      fail(marked.segment, e.code(), e.what());
      return;
    }
    out_.send(std::move(done));
  }

  Message mask(Marked& marked, const Marked* next) {
    const auto& raw = std::get<RawSegmentClosed>(marked.segment.detail);
    std::string name =
        segment_name(config_.name_template, marked.segment.segment, raw.first_packet_ts_usec, config_.capture_id, raw.format);
    std::string output = config_.output_dir + "/" + name;
    if (next) add_look_ahead(marked.rules, next->rules);
    std::unique_ptr<OutputCheck> check;
    if (config_.self_check) check = config_.self_check(marked.input, next ? &next->input : nullptr, output);
    MaskStats stats = mask_capture({.input = marked.segment.path,
                                    .output = output,
                                    .check = check.get(),
                                    .policy = config_.policy,
                                    .anon = config_.anon},
                                   marked.rules);
    make_durable(output, config_.output_dir);
    // Read back once, from the page cache the write just filled.
    ReadyFile file{.path = output,
                   .size = stats.bytes_written,
                   .segment_index = marked.segment.segment - 1,
                   .created_ts_usec = now_us(),
                   .sha256 = file_sha256(output)};
    return {.kind = MessageKind::file_ready,
            .segment = marked.segment.segment,
            .detail = SanitizedSegment{.file = std::move(file),
                                       .masking = {.packets = stats.decode.packets,
                                                   .tcp_payload_bytes_kept = stats.payload.tcp_payload_bytes_kept,
                                                   .tcp_payload_bytes_masked = stats.payload.tcp_payload_bytes_masked,
                                                   .directions_carried = marked.directions_carried,
                                                   .directions_forgotten = marked.directions_forgotten}}};
  }

  void fail_after_broken(const Message& segment) {
    fail(segment, broken_code_,
         fmt::format("segment {} not sanitized: segment {} failed, and its connection state with it", segment.segment,
                     broken_after_));
  }

  void fail(const Message& segment, ExitCode code, const std::string& text) {
    if (broken_after_ == 0) {
      broken_after_ = segment.segment;
      broken_code_ = code;
    }
    ExitCode reported = code;
    try {
      remove_raw(segment.path);
    } catch (const Error& e) {
      reported = e.code();
    }
    out_.send({.kind = MessageKind::sanitize_failed,
               .segment = segment.segment,
               .path = segment.path,
               .error_code = static_cast<int>(reported),
               .error_msg = text});
  }

  const SanitizeConfig& config_;
  Outbox& out_;
  MarkState state_;
  FlowExpiry expiry_;
  std::optional<Marked> held_;
  uint64_t broken_after_ = 0;
  ExitCode broken_code_ = ExitCode::internal;
};

}  // namespace

void run_sanitize_worker(MessageQueue<Message>& segments, const SanitizeConfig& config, Outbox& out) {
  Sanitizer sanitizer(config, out);
  for (;;) {
    auto due = sanitizer.release_at();
    std::optional<Message> segment;
    if (!due) {
      segment = segments.pop();
    } else if (auto now = std::chrono::steady_clock::now(); now < *due) {
      segment = segments.pop_for(std::chrono::ceil<std::chrono::milliseconds>(*due - now));
    } else {
      sanitizer.release();
      continue;
    }
    if (segment)
      sanitizer.take(*segment);
    else if (segments.closed_and_empty())
      break;
  }
  sanitizer.release();
  out.send({.kind = MessageKind::worker_done});
}

}  // namespace pktmask

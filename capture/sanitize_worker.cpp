#include "capture/sanitize_worker.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "capture/file_digest.h"
#include "capture/flow_expiry.h"
#include "capture/segment_name.h"
#include "common/errors.h"
#include "marker/marker.h"
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

void remove_raw(const std::string& path) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT)
    throw Error(ExitCode::clean_delete_failed,
                fmt::format("{}: cannot delete raw segment: {}", path, std::strerror(errno)));
}

class Sanitizer {
 public:
  Sanitizer(const SanitizeConfig& config, Outbox& out) : config_(config), out_(out), expiry_(config.flow_timeout_us) {}

  // Sanitizing fails as a whole (sanitize_failed); only the raw segment's
  // deletion has a code of its own.
  void handle(const Message& segment) {
    if (broken_after_ != 0) {
      fail(segment, ExitCode::run_disk_full,
           fmt::format("segment {} not sanitized: segment {} failed, and its connection state with it", segment.segment,
                       broken_after_));
      return;
    }
    out_.send({.kind = MessageKind::sanitize_started, .segment = segment.segment, .path = segment.path});
    Message done;
    try {
      done = sanitize(segment);
    } catch (const std::exception& e) {
      fail(segment, ExitCode::run_disk_full, fmt::format("segment {}: {}", segment.segment, e.what()));
      return;
    }
    try {
      remove_raw(segment.path);
    } catch (const Error& e) {
      fail(segment, e.code(), e.what());
      return;
    }
    out_.send(std::move(done));
  }

 private:
  Message sanitize(const Message& segment) {
    const auto& raw = std::get<RawSegmentClosed>(segment.detail);
    std::string name =
        segment_name(config_.name_template, segment.segment, raw.first_packet_ts_usec, config_.capture_id, raw.format);
    std::string output = config_.output_dir + "/" + name;
    MarkState next;
    MarkJob job{.input = segment.path, .engine = Engine::native, .policy = config_.policy};
    job.state_in = segment.segment == 1 ? nullptr : &state_;
    job.state_out = &next;
    KeepRuleSet rules = mark_capture(job);
    std::unique_ptr<OutputCheck> check;
    if (config_.self_check) check = config_.self_check(segment.path, rules.carried_directions, output);
    MaskStats stats = mask_capture(
        {.input = segment.path, .output = output, .check = check.get(), .policy = config_.policy, .anon = config_.anon},
        rules);
    make_durable(output, config_.output_dir);
    // Read back once, from the page cache the write just filled.
    ReadyFile file{.path = output,
                   .size = stats.bytes_written,
                   .segment_index = segment.segment - 1,
                   .created_ts_usec = now_us(),
                   .sha256 = file_sha256(output)};
    uint64_t forgotten = expiry_.prune(state_, next, raw.last_packet_ts_usec);
    state_ = std::move(next);
    return {.kind = MessageKind::file_ready,
            .segment = segment.segment,
            .detail = SanitizedSegment{.file = std::move(file),
                                       .masking = {.packets = stats.decode.packets,
                                                   .tcp_payload_bytes_kept = stats.payload.tcp_payload_bytes_kept,
                                                   .tcp_payload_bytes_masked = stats.payload.tcp_payload_bytes_masked,
                                                   .directions_carried = state_.directions.size(),
                                                   .directions_forgotten = forgotten}}};
  }

  void fail(const Message& segment, ExitCode code, const std::string& text) {
    if (broken_after_ == 0) broken_after_ = segment.segment;
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
  uint64_t broken_after_ = 0;
};

}  // namespace

void run_sanitize_worker(MessageQueue<Message>& segments, const SanitizeConfig& config, Outbox& out) {
  Sanitizer sanitizer(config, out);
  while (auto segment = segments.pop()) sanitizer.handle(*segment);
  out.send({.kind = MessageKind::worker_done});
}

}  // namespace pktmask

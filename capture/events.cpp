#include "capture/events.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "capture/text_limit.h"
#include "capture/cleaner_json.h"
#include "common/errors.h"
#include "common/output_target.h"
#include "common/policy_json.h"

namespace pktmask {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StopSignal, signal)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CaptureStarted, format, worker_pid, config_hash, first_output_file)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RawSegmentClosed, packets, bytes, first_packet_ts_usec, last_packet_ts_usec, format)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MaskingCounts, packets, tcp_payload_bytes_kept, tcp_payload_bytes_masked,
                                   directions_carried, directions_forgotten)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CleanerHeartbeat, pending_count, pending_bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RetentionDeleted, files, bytes)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(CompressedFiles, archive_path, compressed_files, original_bytes, compressed_bytes,
                                   duration_ms)

namespace {

[[noreturn]] void unwritable(const std::string& path, const std::string& why) {
  throw Error(ExitCode::start_create_file_failed, fmt::format("{}: cannot open the event log: {}", path, why));
}

// Appended to, so never replaced: a regular file is opened without
// following a link, and only if it is ours (root appending to a file someone
// else planted in a shared directory would write where they chose). A
// device or FIFO is written in place, as any output (output_target.h).
int open_events(const std::string& path) {
  try {
    if (output_kind(path) == OutputKind::in_place) return open_in_place(path, O_APPEND);
  } catch (const Error& e) {
    throw Error(ExitCode::start_create_file_failed, e.what());
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0666);
  if (fd < 0) unwritable(path, errno == ELOOP ? "is a symbolic link" : std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) {
    ::close(fd);
    unwritable(path, fmt::format("not a regular file owned by user {}", ::geteuid()));
  }
  return fd;
}

nlohmann::json null_if_zero(int64_t value) { return value == 0 ? nlohmann::json() : nlohmann::json(value); }

nlohmann::json null_if_empty(const std::string& value) {
  return value.empty() ? nlohmann::json() : nlohmann::json(value);
}

void add_source_fields(nlohmann::json& json, const SourceStatistics& source) {
  if (source.kernel) {
    json["kernel_received"] = source.kernel->received;
    json["kernel_dropped"] = source.kernel->dropped;
    json["interface_dropped"] = source.kernel->interface_dropped;
  }
  if (source.truncation) json.update(truncation_json(source.truncation));
}

nlohmann::json stats_json(const CaptureStats& stats) {
  nlohmann::json json = {{"packets", stats.packets},
                         {"bytes", stats.bytes},
                         {"segments", stats.segments},
                         {"first_packet_ts_usec", null_if_zero(stats.first_packet_ts_usec)},
                         {"last_packet_ts_usec", null_if_zero(stats.last_packet_ts_usec)},
                         {"current_file_size", stats.current_file_size},
                         {"cpu_seconds", stats.cpu_seconds}};
  add_source_fields(json, stats.source);
  return json;
}

nlohmann::json file_json(const ReadyFile& file) {
  return {{"path", file.path},
          {"size", file.size},
          {"segment_index", file.segment_index},
          {"created_ts", file.created_ts_usec},
          {"sha256", file.sha256}};
}

nlohmann::json files_json(const std::vector<ReadyFile>& files) {
  nlohmann::json list = nlohmann::json::array();
  for (const ReadyFile& file : files) list.push_back(file_json(file));
  return list;
}

nlohmann::json limits_json(const CaptureLimits& limits) {
  return {{"duration", limits.duration_seconds},     {"max_bytes", limits.max_bytes},
          {"max_packets", limits.max_packets},       {"rotate_bytes", limits.rotate_bytes},
          {"rotate_seconds", limits.rotate_seconds}, {"rotate_packets", limits.rotate_packets}};
}

void add_fields(nlohmann::json&, std::monostate) {}

void add_fields(nlohmann::json& event, const CaptureStart& start) {
  bool live = start.replay.empty();
  event["mode"] = live ? "live" : "replay";
  event["interface"] = live ? nlohmann::json(start.interface) : nlohmann::json();
  event["netns"] = null_if_empty(start.netns);
  event["pid"] = null_if_zero(start.target_pid);
  event["container"] = null_if_empty(start.container);
  event["filter"] = null_if_empty(start.filter);
  event["snaplen"] = live ? nlohmann::json(start.snaplen) : nlohmann::json();
  event["replay"] = live ? nlohmann::json() : nlohmann::json(start.replay);
  event["output_dir"] = start.output_dir;
  event["file_pattern"] = start.file_pattern;
  event["limits"] = limits_json(start.limits);
  event["manager_pid"] = start.manager_pid;
  if (!start.stale_raw_removed.empty()) event["stale_raw_removed"] = start.stale_raw_removed;
  event["config"] = start.config.settings;
  event["config_hash"] = start.config.hash;
  event["config_timestamp"] = null_if_zero(start.config.timestamp_usec);
  event["policy"] = policy_to_json(start.policy);
  event["config"] = start.config.settings;
  event["config_hash"] = start.config.hash;
  event["config_timestamp"] = start.config.timestamp_usec;
  // The key's file and id, never its bytes.
  event["anonymize"] = {{"settings", canonical_string(start.anon)},
                        {"key", null_if_empty(start.anon.key_path)},
                        {"key_id", null_if_empty(start.key_id)}};
}

void add_fields(nlohmann::json& event, const CaptureStats& stats) { event["stats"] = stats_json(stats); }

void add_fields(nlohmann::json& event, const CaptureEnded& ended) {
  event["stats"] = stats_json(ended.stats);
  event["finish_reason"] = ended.reason;
}

void add_fields(nlohmann::json& event, const SanitizedSegment& segment) {
  event["files"] = files_json({segment.file});
  if (segment.total_segments) event["total_segments"] = *segment.total_segments;
  event["masking"] = segment.masking;
}

void add_fields(nlohmann::json& event, const SegmentEnqueued& enqueued) {
  event["size"] = enqueued.size;
  event["capture_finish_ts_usec"] = enqueued.finish_ts_usec;
  event.update(compression_json(enqueued.settings));
}

void add_fields(nlohmann::json& event, const SegmentStored& stored) {
  event["success"] = stored.success;
  event["pending_count"] = stored.pending_count;
  event["pending_bytes"] = stored.pending_bytes;
}

void add_fields(nlohmann::json& event, const CleanerRefresh& refresh) {
  event["settings"] = cleaner_settings_json(refresh.settings);
}


void add_fields(nlohmann::json& event, const RunFinished& finished) {
  event["finish_ts_usec"] = finished.finish_ts_usec;
  event["stats"] = stats_json(finished.summary.capture);
  event["exit_code"] = finished.summary.exit_code;
  event["finish_reason"] = finished.summary.reason;
  event["result_files"] = files_json(finished.result_files);
  event["batch"] = finished.batch;
  event["batches"] = finished.batches;
  event["summary"] = summary_json(finished.summary);
}

void add_fields(nlohmann::json& event, const RunFailed& failed) {
  event["failed_ts_usec"] = failed.failed_ts_usec;
  event["stats"] = stats_json(failed.stats);
  if (failed.summary) event["summary"] = summary_json(*failed.summary);
}

// The reports whose fields are the event's, name for name.
template <typename Report>
void add_fields(nlohmann::json& event, const Report& report) {
  event.update(nlohmann::json(report));
}

}  // namespace

nlohmann::json summary_json(const CaptureSummary& summary) {
  nlohmann::json json = {{"packets", summary.capture.packets},
                         {"bytes", summary.capture.bytes},
                         {"reason", summary.reason},
                         {"exit_code", summary.exit_code},
                         {"segments_captured", summary.segments_captured},
                         {"segments_sanitized", summary.segments_sanitized},
                         {"segments_failed", summary.segments_failed},
                         {"segments_compressed", summary.segments_compressed},
                         {"segments_deleted_by_retention", summary.segments_deleted_by_retention},
                         {"cleanup_failures", summary.cleanup_failures},
                         {"max_backlog", summary.max_backlog},
                         {"sanitized_bytes", summary.sanitized_bytes},
                         {"tcp_payload_bytes_kept", summary.tcp_payload_bytes_kept},
                         {"tcp_payload_bytes_masked", summary.tcp_payload_bytes_masked},
                         {"directions_carried", summary.directions_carried},
                         {"directions_forgotten", summary.directions_forgotten},
                         {"seconds", summary.seconds},
                         {"policy", policy_to_json(summary.policy)}};
  add_source_fields(json, summary.capture.source);
  return json;
}

nlohmann::json to_event(const Message& message, const std::string& key) {
  nlohmann::json event = {
      {"ts_usec", message.ts_usec},         {"capture_id", message.capture_id}, {"key", key},
      {"source", actor_name(message.from)}, {"version", message.version},       {"event", kind_name(message.kind)}};
  if (message.segment != 0) event["segment"] = message.segment;
  if (!message.path.empty()) event["path"] = message.path;
  if (message.error_code != 0) {
    event["error_code"] = message.error_code;
    event["error_msg"] = limit_utf8(message.error_msg, kErrorMessageBytes);
  }
  std::visit([&event](const auto& detail) { add_fields(event, detail); }, message.detail);
  return event;
}

EventLog::EventLog(const std::string& path) : path_(path) {
  if (path.empty()) return;
  if (path == "-") {
    file_ = stdout;
    return;
  }
  int fd = open_events(path);
  file_ = ::fdopen(fd, "a");
  if (file_ == nullptr) {
    ::close(fd);
    throw Error(ExitCode::start_create_file_failed,
                fmt::format("{}: cannot open the event log: {}", path, std::strerror(errno)));
  }
  owned_ = true;
}

EventLog::~EventLog() {
  if (owned_) std::fclose(file_);
}

void EventLog::write(const nlohmann::json& event) {
  if (file_ == nullptr || broken_) return;
  // A file name that is not UTF-8 must not cost the event.
  std::string line = event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
    broken_ = true;
    fmt::print(stderr, "pktmask: {}: cannot write events ({}); going on without them\n",
               path_ == "-" ? "stdout" : path_, std::strerror(errno));
  }
}

}  // namespace pktmask

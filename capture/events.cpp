#include "capture/events.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "capture/cleaner_json.h"
#include "common/errors.h"
#include "common/output_target.h"
#include "common/policy_json.h"

namespace pktmask {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(StopSignal, signal)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SourceStarted, format)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(RawSegmentReady, packets, bytes, first_time_us, last_time_us, format)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(SanitizedSegment, packets, bytes, tcp_payload_bytes_kept, tcp_payload_bytes_masked,
                                   directions_carried, directions_forgotten)
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

void add_fields(nlohmann::json&, std::monostate) {}

void add_fields(nlohmann::json& event, const CaptureStart& start) {
  event["output_dir"] = start.output_dir;
  event["pid"] = start.pid;
  if (!start.stale_raw_removed.empty()) event["stale_raw_removed"] = start.stale_raw_removed;
  if (start.replay.empty())
    event["interface"] = start.interface;
  else
    event["replay"] = start.replay;
  event["policy"] = policy_to_json(start.policy);
  event["config"] = start.config.settings;
  event["config_hash"] = start.config.hash;
  event["config_timestamp"] = start.config.timestamp_usec;
  // The key's file and id, never its bytes.
  event["anonymize"] = {{"settings", canonical_string(start.anon)},
                        {"key", start.anon.key_path.empty() ? nullptr : nlohmann::json(start.anon.key_path)},
                        {"key_id", start.key_id.empty() ? nullptr : nlohmann::json(start.key_id)}};
}

void add_fields(nlohmann::json& event, const SourceStatistics& source) {
  if (source.kernel) {
    event["kernel_received"] = source.kernel->received;
    event["kernel_dropped"] = source.kernel->dropped;
    event["interface_dropped"] = source.kernel->interface_dropped;
  }
  if (source.truncation) event.update(truncation_json(source.truncation));
}

void add_fields(nlohmann::json& event, const CaptureTotals& totals) {
  event["packets"] = totals.packets;
  event["bytes"] = totals.bytes;
  event["segments"] = totals.segments;
  add_fields(event, totals.source);
  if (!totals.reason.empty()) event["reason"] = totals.reason;
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
  event.update(nlohmann::json(stored.segment));
}

void add_fields(nlohmann::json& event, const CleanerRefresh& refresh) {
  event["settings"] = cleaner_settings_json(refresh.settings);
}

// The reports whose fields are the event's, name for name (below).
template <typename Report>
void add_fields(nlohmann::json& event, const Report& report) {
  event.update(nlohmann::json(report));
}

void add_fields(nlohmann::json& event, const CaptureSummary& summary) { event.update(summary_json(summary)); }

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
  add_fields(json, summary.capture.source);
  return json;
}

nlohmann::json to_event(const Message& message) {
  nlohmann::json event = {{"time_us", message.time_us},
                          {"capture_id", message.capture_id},
                          {"source", actor_name(message.from)},
                          {"version", message.version},
                          {"event", kind_name(message.kind)}};
  if (message.segment != 0) event["segment"] = message.segment;
  if (!message.path.empty()) event["path"] = message.path;
  if (message.code != 0) {
    event["code"] = message.code;
    event["error"] = message.text;
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
  std::string line = event.dump() + "\n";
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
    broken_ = true;
    fmt::print(stderr, "pktmask: {}: cannot write events ({}); going on without them\n",
               path_ == "-" ? "stdout" : path_, std::strerror(errno));
  }
}

}  // namespace pktmask

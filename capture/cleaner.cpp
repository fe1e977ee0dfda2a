#include "capture/cleaner.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>

#include <fmt/format.h>

#include "common/exit_codes.h"

namespace pktmask {

namespace {

constexpr auto kRetentionInterval = std::chrono::seconds(60);

bool has_retention(const RetentionPolicy& policy) { return policy.retain_days || policy.max_disk || policy.min_free; }

void compress(const Message& file, const CleanerConfig& config, Outbox& out) {
  try {
    std::string compressed = compress_file(file.path, config.compression, config.level);
    out.send({.kind = MessageKind::compressed, .segment = file.segment, .path = compressed});
  } catch (const std::exception& e) {
    out.send({.kind = MessageKind::compress_failed,
              .segment = file.segment,
              .path = file.path,
              .error_code = static_cast<int>(ExitCode::clean_compress_failed),
              .error_msg = e.what()});
  }
}

void apply_retention(const CleanerConfig& config, Outbox& out) {
  try {
    std::vector<StoredFile> files = list_stored(config.output_dir, config.segment_glob);
    RetentionPlan plan = plan_retention(files, config.retention, now_us() / 1000000, free_space(config.output_dir));
    RetentionDeleted removed;
    std::string undeleted;
    for (const StoredFile& file : plan.remove) {
      if (std::remove(file.path.c_str()) != 0) {
        undeleted +=
            fmt::format("{}{}: cannot delete: {}", undeleted.empty() ? "" : "; ", file.path, std::strerror(errno));
        continue;
      }
      removed.files.push_back(file.path);
      removed.bytes += file.size;
    }
    if (!removed.files.empty()) out.send({.kind = MessageKind::deleted, .detail = removed});
    if (!undeleted.empty())
      out.send({.kind = MessageKind::clean_failed,
                .error_code = static_cast<int>(ExitCode::clean_delete_failed),
                .error_msg = undeleted});
    if (!plan.unmet.empty())
      out.send({.kind = MessageKind::clean_failed,
                .error_code = static_cast<int>(ExitCode::clean_disk_full),
                .error_msg = plan.unmet});
  } catch (const std::exception& e) {
    out.send({.kind = MessageKind::clean_failed,
              .error_code = static_cast<int>(ExitCode::clean_delete_failed),
              .error_msg = e.what()});
  }
}

}  // namespace

void run_cleaner(MessageQueue<Message>& files, const CleanerConfig& config, Outbox& out) {
  bool retention = has_retention(config.retention);
  auto heartbeat =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(config.heartbeat_seconds));
  auto next_heartbeat = std::chrono::steady_clock::now() + heartbeat;
  auto next_retention = std::chrono::steady_clock::now() + kRetentionInterval;
  while (!files.closed_and_empty()) {
    auto file =
        files.pop_for(std::min(heartbeat, std::chrono::duration_cast<std::chrono::milliseconds>(kRetentionInterval)));
    if (file) {
      out.send({.kind = MessageKind::file_enqueued, .segment = file->segment, .path = file->path});
      out.send({.kind = MessageKind::stored, .segment = file->segment, .path = file->path});
      if (config.compression != Compression::none) compress(*file, config, out);
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= next_heartbeat) {
      // Each file is stored as it comes: nothing waits between heartbeats.
      out.send({.kind = MessageKind::heartbeat, .detail = CleanerHeartbeat{}});
      next_heartbeat = now + heartbeat;
    }
    if (retention && (file || now >= next_retention)) {
      apply_retention(config, out);
      next_retention = now + kRetentionInterval;
    }
  }
  out.send({.kind = MessageKind::worker_done});
}

}  // namespace pktmask

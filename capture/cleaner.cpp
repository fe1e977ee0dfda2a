#include "capture/cleaner.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include <fmt/format.h>

#include "capture/archive.h"
#include "capture/segment_name.h"
#include "common/exit_codes.h"

namespace pktmask {

namespace {

constexpr auto kRetentionInterval = std::chrono::seconds(60);

struct Pending {
  std::string path;
  uint64_t size = 0;
};

bool has_retention(const RetentionPolicy& policy) {
  return policy.retain_days || policy.max_disk || policy.min_free || policy.max_files != 0;
}

std::optional<uint64_t> file_size(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  return static_cast<uint64_t>(st.st_size);
}

int64_t milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
}

class Cleaner {
 public:
  Cleaner(const CleanerConfig& config, Outbox& out)
      : config_(config),
        settings_(config.settings),
        out_(out),
        ours_{segment_glob(config.name_template),
              archive_glob(config.name_template, archive_suffix(ArchiveFormat::tar_gz)),
              archive_glob(config.name_template, archive_suffix(ArchiveFormat::zip))} {}

  void take(const Message& message) {
    if (message.kind == MessageKind::clean_config_refresh)
      refresh(std::get<CleanerRefresh>(message.detail).settings);
    else
      store(message);
  }

  void heartbeat() { out_.send({.kind = MessageKind::heartbeat, .detail = CleanerHeartbeat{pending_.size(), pending_bytes_}}); }

  void finish() {
    archive_pending();
    apply_retention();
  }

  // Deletes oldest first, a batch at a time, reading the directory and the
  // free space again between batches.
  void apply_retention() {
    if (!has_retention(settings_.retention)) return;
    try {
      while (true) {
        std::vector<StoredFile> files = list_stored(config_.output_dir, ours_);
        RetentionPlan plan =
            plan_retention(files, settings_.retention, now_us() / 1000000, free_space(config_.output_dir));
        if (plan.remove.empty()) {  // the last pass: what is unmet now stays unmet
          if (!plan.unmet.empty())
            out_.send({.kind = MessageKind::clean_failed,
                       .error_code = static_cast<int>(ExitCode::clean_disk_full),
                       .error_msg = plan.unmet});
          return;
        }
        if (!remove(plan.remove)) return;
      }
    } catch (const std::exception& e) {
      out_.send({.kind = MessageKind::clean_failed,
                 .error_code = static_cast<int>(ExitCode::clean_delete_failed),
                 .error_msg = e.what()});
    }
  }

 private:
  void store(const Message& file) {
    const auto& segment = std::get<SanitizedSegment>(file.detail);
    const std::string& path = segment.file.path;
    std::optional<uint64_t> size = file_size(path);
    out_.send({.kind = MessageKind::file_enqueued,
               .segment = file.segment,
               .path = path,
               .detail = SegmentEnqueued{size.value_or(0), file.ts_usec, settings_}});
    bool archived = size && is_archive(settings_.compression);
    if (archived) {
      pending_.push_back({path, *size});
      pending_bytes_ += *size;
    }
    out_.send({.kind = MessageKind::stored,
               .segment = file.segment,
               .path = path,
               .detail = SegmentStored{size.has_value(), pending_.size(), pending_bytes_}});
    if (archived && pending_bytes_ >= settings_.compress_threshold) archive_pending();
    if (size && !archived && settings_.compression != Compression::none) compress_one(file.segment, path, *size);
  }

  void refresh(const CleanerSettings& settings) {
    // What waits was enqueued under the old format: it goes out under it.
    if (settings.compression != settings_.compression || settings.level != settings_.level) archive_pending();
    settings_ = settings;
    out_.send({.kind = MessageKind::clean_config_refresh, .detail = CleanerRefresh{settings_}});
    if (pending_bytes_ >= settings_.compress_threshold) archive_pending();
  }

  void compress_one(uint64_t segment, const std::string& path, uint64_t size) {
    auto start = std::chrono::steady_clock::now();
    try {
      std::string compressed = compress_file(path, settings_.compression, settings_.level);
      out_.send({.kind = MessageKind::compressed,
                 .segment = segment,
                 .detail = CompressedFiles{
                     compressed, {path}, size, file_size(compressed).value_or(0), milliseconds_since(start)}});
    } catch (const std::exception& e) {
      compress_failed(segment, path, e.what());
    }
  }

  void archive_pending() {
    // Retention may have deleted some while they waited.
    std::erase_if(pending_, [](const Pending& file) { return !file_size(file.path); });
    std::vector<Pending> files = std::exchange(pending_, {});
    pending_bytes_ = 0;
    if (files.empty()) return;
    auto start = std::chrono::steady_clock::now();
    std::string first = std::filesystem::path(files.front().path).filename().string();
    std::string target = (std::filesystem::path(config_.output_dir) /
                          archive_name(config_.name_template, first, compression_suffix(settings_.compression)))
                             .string();
    CompressedFiles archive{.archive_path = target};
    for (const Pending& file : files) {
      archive.compressed_files.push_back(file.path);
      archive.original_bytes += file.size;
    }
    try {
      ArchiveFormat format = settings_.compression == Compression::zip ? ArchiveFormat::zip : ArchiveFormat::tar_gz;
      archive.compressed_bytes = write_archive(archive.compressed_files, target, format, settings_.level);
    } catch (const std::exception& e) {
      compress_failed(0, files.front().path, e.what());
      return;
    }
    std::vector<StoredFile> segments;
    for (const Pending& file : files) segments.push_back({file.path, file.size, 0});
    archive.duration_ms = milliseconds_since(start);
    out_.send({.kind = MessageKind::compressed, .detail = archive});
    remove(segments, false);
  }

  void compress_failed(uint64_t segment, const std::string& path, const std::string& why) {
    out_.send({.kind = MessageKind::compress_failed,
               .segment = segment,
               .path = path,
               .error_code = static_cast<int>(ExitCode::clean_compress_failed),
               .error_msg = why + " (the sanitized segments are kept)"});
  }

  // Reports the removed files as `deleted` when retention removed them;
  // false when some could not be removed.
  bool remove(const std::vector<StoredFile>& files, bool by_retention = true) {
    RetentionDeleted removed;
    std::string undeleted;
    for (const StoredFile& file : files) {
      if (std::remove(file.path.c_str()) != 0) {
        undeleted +=
            fmt::format("{}{}: cannot delete: {}", undeleted.empty() ? "" : "; ", file.path, std::strerror(errno));
        continue;
      }
      removed.files.push_back(file.path);
      removed.bytes += file.size;
      std::erase_if(pending_, [&file](const Pending& waiting) { return waiting.path == file.path; });
    }
    pending_bytes_ = 0;
    for (const Pending& file : pending_) pending_bytes_ += file.size;
    if (by_retention && !removed.files.empty()) out_.send({.kind = MessageKind::deleted, .detail = removed});
    if (!undeleted.empty())
      out_.send({.kind = MessageKind::clean_failed,
                 .error_code = static_cast<int>(ExitCode::clean_delete_failed),
                 .error_msg = undeleted});
    return undeleted.empty();
  }

  const CleanerConfig& config_;
  CleanerSettings settings_;
  Outbox& out_;
  std::vector<std::string> ours_;  // globs of our segments and archives in the output directory
  std::vector<Pending> pending_;   // stored segments waiting for the next archive
  uint64_t pending_bytes_ = 0;
};

}  // namespace

void run_cleaner(MessageQueue<Message>& inbox, const CleanerConfig& config, Outbox& out) {
  Cleaner cleaner(config, out);
  auto heartbeat =
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::duration<double>(config.heartbeat_seconds));
  auto wait = std::min(heartbeat, std::chrono::duration_cast<std::chrono::milliseconds>(kRetentionInterval));
  auto next_heartbeat = std::chrono::steady_clock::now() + heartbeat;
  auto next_retention = std::chrono::steady_clock::now() + kRetentionInterval;
  while (!inbox.closed_and_empty()) {
    auto message = inbox.pop_for(wait);
    if (message) cleaner.take(*message);
    auto now = std::chrono::steady_clock::now();
    if (now >= next_heartbeat) {
      cleaner.heartbeat();
      next_heartbeat = now + heartbeat;
    }
    if (message || now >= next_retention) {
      cleaner.apply_retention();
      next_retention = now + kRetentionInterval;
    }
  }
  cleaner.finish();
  out.send({.kind = MessageKind::worker_done});
}

}  // namespace pktmask

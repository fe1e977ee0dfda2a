#pragma once
// What the capture pipeline's messages carry besides their kind: one plain
// struct per report, turned into an event's fields only by capture/events.cpp
// (docs/capture.md, "Events", names every field).

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "capture/cleaner_settings.h"
#include "capture/config_snapshot.h"
#include "common/anon/anon_settings.h"
#include "common/policy.h"
#include "common/truncation.h"

namespace pktmask {

// The kernel's counters of a live capture (pcap_stats).
struct KernelCounters {
  uint64_t received = 0;
  uint64_t dropped = 0;
  uint64_t interface_dropped = 0;
};

// Counters a packet source keeps itself.
struct SourceStatistics {
  std::optional<KernelCounters> kernel{};  // a live capture, when libpcap can tell
  std::optional<Truncation> truncation{};  // a replay whose input was cut short
};

// The capture worker's counters: the `stats` of progress, heartbeat,
// finished and failed.
struct CaptureStats {
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t segments = 0;
  int64_t first_packet_ts_usec = 0;  // 0: no packet yet
  int64_t last_packet_ts_usec = 0;
  uint64_t current_file_size = 0;  // of the raw segment being written; 0 between segments
  double cpu_seconds = 0;          // user + system time of the whole process
  SourceStatistics source{};
};

// The run's limits and rotation (0: none).
struct CaptureLimits {
  double duration_seconds = 0;
  uint64_t max_bytes = 0;
  uint64_t max_packets = 0;
  uint64_t rotate_bytes = 0;
  int64_t rotate_seconds = 0;
  uint64_t rotate_packets = 0;
};

// The manager's `start`: the capture spec.
struct CaptureStart {
  std::string output_dir{};  // absolute
  std::string file_pattern{};
  int manager_pid = 0;
  std::vector<std::string> stale_raw_removed{};
  std::string interface {};  // a live capture
  std::string netns{}, container{};
  int target_pid = 0;  // --pid, or the container's init process
  std::string filter{};
  uint32_t snaplen = 0;
  std::string replay{};  // else the replayed input
  CaptureLimits limits{};
  ConfigSnapshot config{};
  PolicySettings policy{};  // what every segment is sanitized under
  AnonSettings anon{};      // and how its addresses are anonymized
  std::string key_id{};     // of the anonymization key, when anonymizing
};

// The signal watcher's `stop`.
struct StopSignal {
  std::string signal{};  // "SIGINT" or "SIGTERM"
};

// The capture worker's `started`.
struct CaptureStarted {
  std::string format{};  // "pcap" or "pcapng"
  int worker_pid = 0;
  std::string config_hash{};        // filled in by the manager
  std::string first_output_file{};  // the first raw segment; the manager names the sanitized one when it can
};

// The capture worker's `capture_ended`.
struct CaptureEnded {
  CaptureStats stats{};
  std::string reason{};  // why the capture ended
};

// The capture worker's `raw_closed`: a raw segment to sanitize.
struct RawSegmentClosed {
  uint64_t packets = 0;
  uint64_t bytes = 0;
  int64_t first_packet_ts_usec = 0;
  int64_t last_packet_ts_usec = 0;
  std::string format{};
};

// A sanitized file an integrator may pick up.
struct ReadyFile {
  std::string path{};  // absolute
  uint64_t size = 0;
  uint64_t segment_index = 0;  // from 0
  int64_t created_ts_usec = 0;
  std::string sha256;  // hex
};

// What masking one segment did.
struct MaskingCounts {
  uint64_t packets = 0;
  uint64_t tcp_payload_bytes_kept = 0;
  uint64_t tcp_payload_bytes_masked = 0;
  uint64_t directions_carried = 0;
  uint64_t directions_forgotten = 0;
};

// The sanitizer's `file_ready`: one sanitized segment.
struct SanitizedSegment {
  ReadyFile file{};
  MaskingCounts masking{};
  std::optional<uint64_t> total_segments{};  // set by the manager once the capture has ended
};

// The cleaner's `heartbeat`.
struct CleanerHeartbeat {
  uint64_t pending_count = 0;  // sanitized files waiting for the cleaner
  uint64_t pending_bytes = 0;
};

// The cleaner's `file_enqueued`: a sanitized segment taken in, and what will
// be done with it.
struct SegmentEnqueued {
  uint64_t size = 0;
  int64_t finish_ts_usec = 0;  // when the sanitizer finished it
  CleanerSettings settings{};
};

// The cleaner's `stored`: the segment is in the output directory (or, with
// success false, was gone before the cleaner saw it), and what waits for the
// next archive.
struct SegmentStored {
  bool success = true;
  uint64_t pending_count = 0;
  uint64_t pending_bytes = 0;
};

// The cleaner's `compressed`: an archive, or one file compressed on its own.
struct CompressedFiles {
  std::string archive_path{};
  std::vector<std::string> compressed_files{};
  uint64_t original_bytes = 0;    // of the files, before
  uint64_t compressed_bytes = 0;  // of the archive
  int64_t duration_ms = 0;
};

// The cleaner's `clean_config_refresh`: the settings it now applies.
struct CleanerRefresh {
  CleanerSettings settings{};
};

// The cleaner's `deleted`: segments removed by retention.
struct RetentionDeleted {
  std::vector<std::string> files{};
  uint64_t bytes = 0;
};

// The run's counters: the `summary` of the manager's finished and failed, and
// capture --stats (docs/capture.md, "Summary").
struct CaptureSummary {
  CaptureStats capture{};  // the capture worker's last stats (its segment count is segments_captured)
  std::string reason{};
  int exit_code = 0;
  uint64_t segments_captured = 0;
  uint64_t segments_sanitized = 0;
  uint64_t segments_failed = 0;
  uint64_t segments_compressed = 0;
  uint64_t segments_deleted_by_retention = 0;
  uint64_t cleanup_failures = 0;
  uint64_t max_backlog = 0;
  uint64_t sanitized_bytes = 0;
  uint64_t tcp_payload_bytes_kept = 0;
  uint64_t tcp_payload_bytes_masked = 0;
  uint64_t directions_carried = 0;
  uint64_t directions_forgotten = 0;
  PolicySettings policy{};  // what the segments were sanitized under
  double seconds = 0;
};

// The manager's `finished`, one batch of result files per message.
struct RunFinished {
  CaptureSummary summary{};
  int64_t finish_ts_usec = 0;
  std::vector<ReadyFile> result_files{};  // this batch's
  uint64_t batch = 1, batches = 1;
};

// The manager's `failed`.
struct RunFailed {
  CaptureStats stats{};
  int64_t failed_ts_usec = 0;
  std::optional<CaptureSummary> summary{};  // absent when the start failed
};

using MessageDetail =
    std::variant<std::monostate, CaptureStart, StopSignal, CaptureStarted, CaptureStats, CaptureEnded, RawSegmentClosed,
                 SanitizedSegment, CleanerHeartbeat, SegmentEnqueued, SegmentStored, CompressedFiles, CleanerRefresh,
                 RetentionDeleted, RunFinished, RunFailed>;

}  // namespace pktmask

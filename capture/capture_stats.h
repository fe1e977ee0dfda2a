#pragma once
// What the capture pipeline's messages carry besides their kind: one plain
// struct per report, turned into an event's fields only by capture/events.cpp.

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

// The manager's `start`.
struct CaptureStart {
  std::string output_dir;
  int pid = 0;
  std::vector<std::string> stale_raw_removed;
  std::string interface;    // a live capture
  std::string replay;       // else the replayed input
  PolicySettings policy;    // what every segment is sanitized under
  AnonSettings anon;        // and how its addresses are anonymized
  std::string key_id;       // of the anonymization key, when anonymizing
  ConfigSnapshot config{};  // every effective setting, its hash and the --config file's time
};

// The signal watcher's `stop`.
struct StopSignal {
  std::string signal;  // "SIGINT" or "SIGTERM"
};

// The capture worker's `started`.
struct SourceStarted {
  std::string format;  // "pcap" or "pcapng"
};

// The capture worker's `progress`, `finished` and `failed`.
struct CaptureTotals {
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t segments = 0;
  SourceStatistics source;
  std::string reason{};  // `finished` only: why the capture ended
};

// The capture worker's `file_ready`: a raw segment to sanitize.
struct RawSegmentReady {
  uint64_t packets = 0;
  uint64_t bytes = 0;
  int64_t first_time_us = 0;
  int64_t last_time_us = 0;
  std::string format;
};

// The sanitizer's `file_ready`, and the cleaner's `stored` of the same file.
struct SanitizedSegment {
  uint64_t packets = 0;
  uint64_t bytes = 0;
  uint64_t tcp_payload_bytes_kept = 0;
  uint64_t tcp_payload_bytes_masked = 0;
  uint64_t directions_carried = 0;
  uint64_t directions_forgotten = 0;
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
  SanitizedSegment segment{};
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
  std::vector<std::string> files;
  uint64_t bytes = 0;
};

// The manager's last event, and capture --stats (docs/capture.md, "Summary").
struct CaptureSummary {
  CaptureTotals capture;  // the capture worker's last totals (its segment count is segments_captured)
  std::string reason;
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
  PolicySettings policy;  // what the segments were sanitized under
  double seconds = 0;
};

using MessageDetail = std::variant<std::monostate, CaptureStart, StopSignal, SourceStarted, CaptureTotals,
                                   RawSegmentReady, SanitizedSegment, SegmentEnqueued, SegmentStored, CompressedFiles,
                                   CleanerRefresh, RetentionDeleted, CaptureSummary>;

}  // namespace pktmask

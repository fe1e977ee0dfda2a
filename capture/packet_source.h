#pragma once
// Where captured records come from: a live interface (libpcap) or a capture
// replayed from a file or stdin. A source hands out each record's bytes as
// they go into a segment file, plus the preamble every segment starts with,
// so each segment is a valid capture on its own.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>

#include "capture/capture_stats.h"
#include "common/capture_reader.h"

namespace pktmask {

enum class RecordRole {
  packet,
  header,  // part of the preamble (pcapng section header, interface description)
  other,   // any other pcapng block: statistics, name resolution, custom
};

struct SourceRecord {
  RecordRole role = RecordRole::packet;
  std::span<const uint8_t> raw;  // valid until the next call to next()
  int64_t time_us = 0;           // packets only
};

enum class SourceStatus { record, idle, end };

class PacketSource {
 public:
  virtual ~PacketSource() = default;
  // `idle`: no packet within the read timeout (live only). A failure of the
  // source itself throws; an Error then carries source_failed.
  virtual SourceStatus next(SourceRecord& record) = 0;
  // Bytes every segment file starts with: the pcap file header, or the
  // current pcapng section header and its interface descriptions.
  virtual std::span<const uint8_t> preamble() const = 0;
  virtual const char* extension() const = 0;  // "pcap" or "pcapng"
  // Counters the source itself keeps (the kernel's drops for a live capture).
  virtual SourceStatistics statistics() = 0;
  // While a replayed pipe stalls, `keep_waiting` is asked every 200 ms
  // whether to go on; if not, the source ends there. A live source times out
  // on its own and reports `idle` instead.
  virtual void set_stall_check(std::function<bool()> keep_waiting) { (void)keep_waiting; }
};

struct LiveOptions {
  std::string interface;
  std::string filter;
  uint32_t snaplen = 262144;
  bool promiscuous = true;
  std::string netns;      // a network namespace to capture in
  int target_pid = 0;     // or that of a process
  std::string container;  // or that of a container's init process
};

// Throw Error with a start code when the source cannot be opened.
std::unique_ptr<PacketSource> open_live_source(const LiveOptions& options);
// A replay whose input ends inside a record ends after the last complete one
// with a warning on stderr and `input_truncated_at` in its statistics
// (TornTail::leave_out), or fails (refuse).
std::unique_ptr<PacketSource> open_replay_source(const std::string& path, TornTail torn_tail);

}  // namespace pktmask

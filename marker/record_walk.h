#pragma once
// The TLS record walk of one connection direction, exactly as the masking
// policy defines it: from the stream start, header by header, never
// resynchronising, with the first captured copy of every byte winning.
//
// Segments arrive in capture order, possibly out of sequence order. Only
// header bytes matter, so a segment is kept only while it may still hold a
// header the walk has not reached (bounded by kMaxPendingBytes).

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/keep_rules.h"

namespace pktmask {

constexpr size_t kTlsHeader = 5;
constexpr uint32_t kMaxTlsRecordLength = 18432;

// The policy's test of a record header: type 20..24, version major 3,
// length at most 18432.
inline bool plausible_header(uint8_t type, uint8_t version_major, uint32_t length) {
  return type >= 20 && type <= 24 && version_major == 3 && length <= kMaxTlsRecordLength;
}

// What the policy keeps of a plausible record at `start`: the whole record,
// except for ApplicationData (23), whose body is masked.
inline KeepRule record_rule(uint64_t start, uint8_t type, uint32_t length) {
  if (type == 23) return {start, start + kTlsHeader, RuleType::tls_header, type};
  return {start, start + kTlsHeader + length, RuleType::tls_record, type};
}

// A record the walk placed, as its header read.
struct WalkedRecord {
  uint64_t start;
  uint32_t length;
  uint8_t type;
  bool operator==(const WalkedRecord&) const = default;
};

// The records a walk placed, read back from the rules it made (record_rule
// per record, then perhaps a partial header at `walk_end`): records are
// contiguous, so each one ends where the next begins or where the walk ended.
std::vector<WalkedRecord> walked_records(const FlowRules& flow);

class RecordWalk {
 public:
  // Everything needed to continue the walk in the next segment of a split capture.
  struct Snapshot {
    uint64_t cursor = 0;
    std::array<uint8_t, kTlsHeader> header{};
    uint8_t have = 0;
    bool stopped = false;
    std::string stop_reason;
    std::vector<std::pair<uint64_t, std::vector<uint8_t>>> pending;
    std::vector<KeepRule> recent_rules;  // kept ranges a late retransmission may still fall into
  };

  explicit RecordWalk(uint64_t stream_start) : cursor_(stream_start) {}
  explicit RecordWalk(const Snapshot& snapshot);
  Snapshot snapshot() const;

  // Captured payload bytes starting at logical sequence number `seq`.
  void feed(uint64_t seq, std::span<const uint8_t> bytes);
  // No more segments: a header still incomplete falls into a gap.
  void finish();

  bool walking() const { return state_ == State::walking; }
  WalkStatus status() const;
  uint64_t cursor() const { return cursor_; }
  const std::string& stop_reason() const { return stop_reason_; }
  // The header the walk waits on, if only partly captured so far and its
  // captured bytes could still be a plausible header. The policy lets us keep
  // or mask such bytes; we keep them, so that marking a capture in segments
  // gives the bytes marking it whole gives.
  std::optional<KeepRule> partial_header_rule() const;
  std::vector<KeepRule>& rules() { return rules_; }
  uint64_t pending_bytes() const { return pending_bytes_; }

  static constexpr uint64_t kMaxPendingBytes = 8 << 20;
  // How far behind the cursor carried rules reach, and how many at most.
  static constexpr uint64_t kCarriedRuleWindow = 16 << 20;
  static constexpr size_t kMaxCarriedRules = 4096;

 private:
  struct Pending {
    uint64_t seq;
    std::vector<uint8_t> bytes;
  };
  enum class State { walking, stopped };

  // Takes what this segment offers the walk; true if the cursor moved.
  bool take(uint64_t seq, std::span<const uint8_t> bytes, bool one_record);
  bool fill_header(uint64_t seq, std::span<const uint8_t> bytes);
  bool advance();
  void stop(std::string reason);
  void drain_pending();
  void keep_tail(uint64_t seq, std::span<const uint8_t> bytes);

  uint64_t cursor_;
  uint8_t header_[kTlsHeader] = {};
  uint8_t have_ = 0;  // bit i set: header_[i] captured
  State state_ = State::walking;
  std::string stop_reason_;
  std::vector<KeepRule> rules_;
  std::vector<Pending> pending_;  // in capture order
  uint64_t pending_bytes_ = 0;
};

}  // namespace pktmask

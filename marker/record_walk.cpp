#include "marker/record_walk.h"

#include <algorithm>

#include <fmt/format.h>

namespace pktmask {

namespace {

constexpr uint8_t kAllHeaderBytes = (1 << kTlsHeader) - 1;

}  // namespace

std::vector<WalkedRecord> walked_records(const FlowRules& flow) {
  std::vector<WalkedRecord> records;
  const std::vector<KeepRule>& rules = flow.rules;
  for (size_t i = 0; i < rules.size() && rules[i].seq_start < flow.walk_end; ++i) {
    uint64_t end = i + 1 < rules.size() ? rules[i + 1].seq_start : flow.walk_end;
    records.push_back(
        {rules[i].seq_start, static_cast<uint32_t>(end - rules[i].seq_start - kTlsHeader), rules[i].content_type});
  }
  return records;
}

RecordWalk::RecordWalk(const Snapshot& snapshot)
    : cursor_(snapshot.cursor),
      have_(snapshot.have),
      state_(snapshot.stopped ? State::stopped : State::walking),
      stop_reason_(snapshot.stop_reason),
      rules_(snapshot.recent_rules) {
  std::copy(snapshot.header.begin(), snapshot.header.end(), header_);
  for (const auto& [seq, bytes] : snapshot.pending) {
    pending_.push_back({seq, bytes});
    pending_bytes_ += bytes.size();
  }
}

RecordWalk::Snapshot RecordWalk::snapshot() const {
  Snapshot snapshot{cursor_, {}, have_, state_ == State::stopped, stop_reason_, {}, {}};
  std::copy(std::begin(header_), std::end(header_), snapshot.header.begin());
  for (const Pending& held : pending_) snapshot.pending.emplace_back(held.seq, held.bytes);
  uint64_t horizon = cursor_ > kCarriedRuleWindow ? cursor_ - kCarriedRuleWindow : 0;
  auto first = std::find_if(rules_.begin(), rules_.end(), [&](const KeepRule& rule) { return rule.seq_end > horizon; });
  if (rules_.end() - first > static_cast<ptrdiff_t>(kMaxCarriedRules)) first = rules_.end() - kMaxCarriedRules;
  snapshot.recent_rules.assign(first, rules_.end());
  return snapshot;
}

WalkStatus RecordWalk::status() const {
  if (rules_.empty()) return WalkStatus::not_tls;
  return state_ == State::stopped ? WalkStatus::stopped : WalkStatus::tls;
}

void RecordWalk::stop(std::string reason) {
  state_ = State::stopped;
  stop_reason_ = std::move(reason);
  pending_.clear();
  pending_bytes_ = 0;
}

bool RecordWalk::fill_header(uint64_t seq, std::span<const uint8_t> bytes) {
  for (size_t i = 0; i < kTlsHeader; ++i) {
    uint64_t at = cursor_ + i;
    if ((have_ & (1 << i)) == 0 && at >= seq && at - seq < bytes.size()) {
      header_[i] = bytes[at - seq];
      have_ |= static_cast<uint8_t>(1 << i);
    }
  }
  return have_ == kAllHeaderBytes;
}

// Judges the complete header at the cursor and moves past its record.
bool RecordWalk::advance() {
  uint8_t type = header_[0];
  uint32_t length = uint32_t(header_[3]) << 8 | header_[4];
  if (!plausible_header(type, header_[1], length)) {
    stop(fmt::format("implausible header {:02x} {:02x} {:02x} {:02x} {:02x}", header_[0], header_[1], header_[2],
                     header_[3], header_[4]));
    return false;
  }
  rules_.push_back(record_rule(cursor_, type, length));
  cursor_ += kTlsHeader + length;
  have_ = 0;
  return true;
}

bool RecordWalk::take(uint64_t seq, std::span<const uint8_t> bytes, bool one_record) {
  bool moved = false;
  while (state_ == State::walking && seq + bytes.size() > cursor_ && fill_header(seq, bytes)) {
    moved |= advance();
    if (one_record) break;
  }
  return moved;
}

void RecordWalk::keep_tail(uint64_t seq, std::span<const uint8_t> bytes) {
  if (seq + bytes.size() <= cursor_) return;
  size_t skip = seq < cursor_ ? static_cast<size_t>(cursor_ - seq) : 0;
  pending_bytes_ += bytes.size() - skip;
  pending_.push_back({seq + skip, {bytes.begin() + static_cast<ptrdiff_t>(skip), bytes.end()}});
  if (pending_bytes_ > kMaxPendingBytes)
    stop(fmt::format("header at {} still missing after {} bytes of later data", cursor_, kMaxPendingBytes));
}

// Replays held segments in capture order until none moves the cursor, so a
// header is always read from the first captured copy of its bytes.
void RecordWalk::drain_pending() {
  bool moved = true;
  while (moved && state_ == State::walking) {
    moved = false;
    for (const Pending& held : pending_) {
      // One record at a time: an older held segment may hold the next header too.
      if (take(held.seq, held.bytes, true)) {
        moved = true;
        break;
      }
    }
    if (state_ != State::walking) return;
    std::erase_if(pending_, [&](const Pending& held) {
      bool spent = held.seq + held.bytes.size() <= cursor_;
      if (spent) pending_bytes_ -= held.bytes.size();
      return spent;
    });
  }
}

void RecordWalk::feed(uint64_t seq, std::span<const uint8_t> bytes) {
  if (state_ != State::walking || seq + bytes.size() <= cursor_) return;
  if (pending_.empty()) {
    take(seq, bytes, false);
    if (state_ == State::walking) keep_tail(seq, bytes);
    return;
  }
  keep_tail(seq, bytes);
  drain_pending();
}

std::optional<KeepRule> RecordWalk::partial_header_rule() const {
  if (state_ != State::walking || have_ == 0 || have_ == kAllHeaderBytes) return std::nullopt;
  auto captured = [&](size_t i) { return (have_ & (1 << i)) != 0; };
  if (captured(0) && (header_[0] < 20 || header_[0] > 24)) return std::nullopt;
  if (captured(1) && header_[1] != 3) return std::nullopt;
  if (captured(3) && captured(4) && (uint32_t(header_[3]) << 8 | header_[4]) > kMaxTlsRecordLength) return std::nullopt;
  if (captured(3) && header_[3] > (kMaxTlsRecordLength >> 8)) return std::nullopt;
  return KeepRule{cursor_, cursor_ + kTlsHeader, RuleType::tls_header, captured(0) ? header_[0] : uint8_t{0}};
}

void RecordWalk::finish() {
  if (state_ != State::walking) return;
  if (auto partial = partial_header_rule()) rules_.push_back(*partial);
  if (have_ != 0)
    stop(fmt::format("header at {} only partly captured", cursor_));
  else if (!pending_.empty())
    stop(fmt::format("header at {} falls into a gap", cursor_));
  pending_.clear();
  pending_bytes_ = 0;
}

}  // namespace pktmask

#include "marker/body_policy.h"

#include <algorithm>
#include <optional>
#include <span>
#include <unordered_map>

#include "common/packet_pipeline.h"
#include "marker/handshake_walk.h"
#include "marker/record_walk.h"

namespace pktmask {

namespace {

constexpr uint8_t kChangeCipherSpecType = 20;
constexpr uint8_t kHandshakeType = 22;
// All directions' collected handshake bytes together; a direction that would
// pass it is not walked (its Handshake bodies are zero).
constexpr size_t kMaxCollectedBytes = size_t{256} << 20;

KeepRule header_only(const KeepRule& rule) {
  return {rule.seq_start, rule.seq_start + kTlsHeader, RuleType::tls_header, rule.content_type};
}

bool handshake_record(const KeepRule& rule) {
  return rule.type == RuleType::tls_record && rule.content_type == kHandshakeType;
}

void keep_listed_bodies(const TlsBodies& tls, KeepRuleSet& rules) {
  for (FlowRules& flow : rules.flows)
    for (KeepRule& rule : flow.rules)
      if (rule.type == RuleType::tls_record && !tls.keeps(rule.content_type)) rule = header_only(rule);
}

// One direction whose Handshake bodies are collected and walked.
struct Direction {
  FlowRules* flow;
  HandshakeStream stream;
  std::vector<size_t> offsets;  // of each record's body in the stream
};

Direction layout(FlowRules& flow) {
  Direction direction{&flow, {}, {}};
  bool after_ccs = false;
  size_t offset = 0;
  for (const KeepRule& rule : flow.rules) {
    after_ccs |= rule.content_type == kChangeCipherSpecType;
    if (!handshake_record(rule)) continue;
    uint32_t length = static_cast<uint32_t>(rule.seq_end - rule.seq_start - kTlsHeader);
    direction.stream.records.push_back({rule.seq_start + kTlsHeader, length, after_ccs});
    direction.offsets.push_back(offset);
    offset += length;
  }
  size_t held = std::min(offset, kMaxHandshakeStreamBytes);
  direction.stream.bytes.resize(held);
  direction.stream.captured.resize(held);
  return direction;
}

// The first captured copy of each Handshake body byte of the segment.
void collect(Direction& direction, uint64_t seq, std::span<const uint8_t> payload) {
  const std::vector<HandshakeRecord>& records = direction.stream.records;
  uint64_t end = seq + payload.size();
  auto first = std::partition_point(records.begin(), records.end(),
                                    [&](const HandshakeRecord& r) { return r.body_start + r.length <= seq; });
  for (auto record = first; record != records.end() && record->body_start < end; ++record) {
    uint64_t from = std::max(seq, record->body_start);
    uint64_t to = std::min(end, record->body_start + record->length);
    size_t at = direction.offsets[static_cast<size_t>(record - records.begin())] + (from - record->body_start);
    for (uint64_t byte = from; byte < to && at < direction.stream.bytes.size(); ++byte, ++at) {
      if (direction.stream.captured[at]) continue;
      direction.stream.bytes[at] = payload[byte - seq];
      direction.stream.captured[at] = true;
    }
  }
}

class DirectionIndex {
 public:
  void add(const FlowKey& key, uint32_t generation, size_t index) { by_key_[key].push_back({generation, index}); }
  std::optional<size_t> find(const FlowKey& key, uint32_t generation) const {
    auto found = by_key_.find(key);
    if (found == by_key_.end()) return std::nullopt;
    for (const auto& [candidate, index] : found->second)
      if (candidate == generation) return index;
    return std::nullopt;
  }

 private:
  std::unordered_map<FlowKey, std::vector<std::pair<uint32_t, size_t>>, FlowKeyHash> by_key_;
};

FlowKey reversed(const FlowKey& key) { return {key.dst, key.src, key.dport, key.sport, key.family}; }

void read_handshake_bytes(const MarkJob& job, const DirectionIndex& index, std::vector<Direction>& directions) {
  PacketPipeline pipeline(job.input, {.torn_tail = job.torn_tail,
                                      .carried = carried_directions(job.state_in),
                                      .progress = job.progress,
                                      .progress_label = "mark (handshake walk)"});
  constexpr size_t kUnlooked = SIZE_MAX, kNone = SIZE_MAX - 1;
  std::vector<size_t> of_direction;  // the tracker's direction index -> ours
  while (pipeline.next()) {
    const DecodedRecord& read = pipeline.current();
    if (!read.tcp() || read.segment().payload_captured == 0) continue;
    uint32_t tracked = read.place.direction;
    if (of_direction.size() <= tracked) of_direction.resize(tracked + 1, kUnlooked);
    if (of_direction[tracked] == kUnlooked) {
      const DirectionState& state = pipeline.tracker().directions()[tracked];
      of_direction[tracked] = index.find(state.key, state.generation).value_or(kNone);
    }
    if (of_direction[tracked] == kNone) continue;
    const TcpSegment& tcp = read.segment();
    collect(directions[of_direction[tracked]], read.place.payload_start,
            std::span<const uint8_t>(read.record.packet.data).subspan(tcp.payload_offset, tcp.payload_captured));
  }
}

// Each Handshake record rule becomes its header and the kept parts of its body.
void split_rules(FlowRules& flow, const std::vector<SeqRange>& kept) {
  std::vector<KeepRule> rules;
  auto next = kept.begin();
  for (const KeepRule& rule : flow.rules) {
    if (!handshake_record(rule)) {
      rules.push_back(rule);
      continue;
    }
    rules.push_back(header_only(rule));
    uint64_t body = rule.seq_start + kTlsHeader;
    while (next != kept.end() && next->end <= body) ++next;
    for (auto range = next; range != kept.end() && range->start < rule.seq_end; ++range) {
      uint64_t start = std::max(range->start, body);
      uint64_t end = std::min(range->end, rule.seq_end);
      if (start < end) rules.push_back({start, end, RuleType::tls_body_part, kHandshakeType});
    }
  }
  flow.rules = std::move(rules);
}

bool carried_walk(const MarkState* state_in, const FlowRules& flow) {
  if (!state_in) return false;
  return std::any_of(state_in->directions.begin(), state_in->directions.end(), [&](const CarriedDirection& carried) {
    return carried.walk && carried.direction.key == flow.key && carried.direction.generation == flow.generation;
  });
}

void walk_handshakes(const MarkJob& job, KeepRuleSet& rules) {
  std::vector<Direction> directions;
  size_t budget = kMaxCollectedBytes;
  for (FlowRules& flow : rules.flows) {
    if (std::none_of(flow.rules.begin(), flow.rules.end(), handshake_record)) continue;
    if (!carried_walk(job.state_in, flow)) {
      Direction direction = layout(flow);
      if (direction.stream.bytes.size() <= budget) {
        budget -= direction.stream.bytes.size();
        directions.push_back(std::move(direction));
        continue;
      }
    }
    split_rules(flow, {});
  }
  if (directions.empty()) return;
  DirectionIndex index;
  for (size_t i = 0; i < directions.size(); ++i) index.add(directions[i].flow->key, directions[i].flow->generation, i);
  read_handshake_bytes(job, index, directions);

  std::vector<std::optional<uint16_t>> selected;
  for (const Direction& direction : directions) selected.push_back(selected_version(direction.stream));
  for (Direction& direction : directions) {
    std::optional<uint16_t> version = selected[&direction - directions.data()];
    std::optional<size_t> peer = index.find(reversed(direction.flow->key), direction.flow->generation);
    if (!version && peer) version = selected[*peer];
    split_rules(*direction.flow, handshake_kept(direction.stream, job.policy.handshake, version));
  }
}

}  // namespace

void apply_body_policy(const MarkJob& job, KeepRuleSet& rules) {
  keep_listed_bodies(job.policy.tls, rules);
  if (job.policy.handshake != HandshakeDetail::full) walk_handshakes(job, rules);
}

}  // namespace pktmask

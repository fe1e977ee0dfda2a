// The native engine: the project's decoder and flow tracker, and one
// RecordWalk per direction fed straight from the captured bytes.
//
// A direction without a SYN starts at its lowest sequence number, which is
// only certain at the end of the capture. The first pass assumes the first
// data segment is the lowest; the rare directions where a lower one turns up
// later are walked again in a second pass from their true start.
#include <algorithm>
#include <optional>

#include "common/packet_pipeline.h"
#include "marker/marker.h"
#include "marker/record_walk.h"

namespace pktmask {

namespace {

struct DirectionWalk {
  std::optional<RecordWalk> walk;
  uint64_t assumed_start = 0;
  bool rewalk = false;
};

// One reading of the capture and the walks it feeds.
struct Pass {
  Pass(const MarkJob& job, const char* label)
      : reading(job.input, {.torn_tail = job.torn_tail,
                            .carried = carried_directions(job.state_in),
                            .progress = job.progress,
                            .progress_label = label}) {
    if (!job.state_in) return;
    walks.resize(job.state_in->directions.size());
    for (size_t i = 0; i < walks.size(); ++i)
      if (job.state_in->directions[i].walk) walks[i].walk.emplace(*job.state_in->directions[i].walk);
  }
  const std::vector<DirectionState>& directions() const { return reading.tracker().directions(); }

  PacketPipeline reading;
  std::vector<DirectionWalk> walks;
};

// With `rewalk`, only the directions it flags are walked, from the stream
// starts a previous pass established.
void run_pass(const MarkJob& job, Pass& pass, const Pass* rewalk) {
  while (pass.reading.next()) {
    const DecodedRecord& read = pass.reading.current();
    if (!read.tcp()) continue;
    const TcpSegment& tcp = read.segment();
    const SegmentPlace& place = read.place;
    if (tcp.payload_captured == 0) continue;
    if (pass.walks.size() <= place.direction) pass.walks.resize(place.direction + 1);
    DirectionWalk& direction = pass.walks[place.direction];
    if (!direction.walk) {
      if (rewalk && !rewalk->walks[place.direction].rewalk) continue;
      uint64_t start = (rewalk ? rewalk : &pass)->directions()[place.direction].stream_start;
      direction.walk.emplace(start);
      direction.assumed_start = start;
    } else if (!rewalk && place.payload_start < direction.assumed_start) {
      direction.rewalk = true;
    }
    direction.walk->feed(
        place.payload_start,
        std::span<const uint8_t>(read.record.packet.data).subspan(tcp.payload_offset, tcp.payload_captured));
  }
  // A segment of a split capture hands its open walks on instead of ending them.
  if (!job.state_out)
    for (DirectionWalk& direction : pass.walks)
      if (direction.walk) direction.walk->finish();
}

FlowRules flow_rules(const DirectionState& state, RecordWalk& walk) {
  FlowRules flow;
  flow.key = state.key;
  flow.generation = state.generation;
  flow.stream_start = state.stream_start;
  flow.walk = walk.status();
  flow.walk_end = walk.cursor();
  flow.stop_reason = walk.stop_reason();
  flow.rules = std::move(walk.rules());
  if (auto partial = walk.partial_header_rule()) flow.rules.push_back(*partial);  // a segment's open walk
  return flow;
}

}  // namespace

KeepRuleSet mark_native(const MarkJob& job) {
  Pass first(job, "mark");
  run_pass(job, first, nullptr);
  std::optional<Pass> second;
  if (std::any_of(first.walks.begin(), first.walks.end(), [](const DirectionWalk& d) { return d.rewalk; })) {
    second.emplace(job, "mark (second pass)");
    run_pass(job, *second, &first);
  }

  KeepRuleSet rules;
  rules.engine = "native";
  rules.policy = job.policy;
  rules.source_path = job.input.path;
  rules.source = first.reading.fingerprint();
  rules.stats.decode = first.reading.counters();
  rules.stats.truncation = first.reading.truncation();
  rules.carried_directions = carried_directions(job.state_in);
  if (job.state_out) job.state_out->directions.clear();
  const std::vector<DirectionState>& directions = first.directions();
  for (size_t i = 0; i < directions.size(); ++i) {
    DirectionWalk* direction =
        i < first.walks.size() ? (first.walks[i].rewalk ? &second->walks[i] : &first.walks[i]) : nullptr;
    bool walked = direction && direction->walk;
    if (job.state_out)
      job.state_out->directions.push_back(
          {directions[i], walked ? std::optional(direction->walk->snapshot()) : std::nullopt});
    if (walked) rules.flows.push_back(flow_rules(directions[i], *direction->walk));
  }
  return rules;
}

}  // namespace pktmask

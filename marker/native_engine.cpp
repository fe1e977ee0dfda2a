// The native engine: the project's decoder and flow tracker, and one
// RecordWalk per direction fed straight from the captured bytes.
//
// A direction without a SYN starts at its lowest sequence number, which is
// only certain at the end of the capture. The first pass assumes the first
// data segment is the lowest; the rare directions where a lower one turns up
// later are walked again in a second pass from their true start.
#include <optional>

#include "common/capture_reader.h"
#include "common/decode/decoder.h"
#include "common/decode_counters.h"
#include "common/flow_tracker.h"
#include "common/interrupt.h"
#include "common/progress.h"
#include "marker/marker.h"
#include "marker/record_walk.h"

namespace pktmask {

namespace {

struct DirectionWalk {
  std::optional<RecordWalk> walk;
  uint64_t assumed_start = 0;
  bool rewalk = false;
};

struct Pass {
  explicit Pass(const MarkState* carried) : tracker(carried_directions(carried)) {
    if (!carried) return;
    walks.resize(carried->directions.size());
    for (size_t i = 0; i < walks.size(); ++i)
      if (carried->directions[i].walk) walks[i].walk.emplace(*carried->directions[i].walk);
  }
  static std::vector<DirectionState> carried_directions(const MarkState* carried) {
    std::vector<DirectionState> directions;
    if (carried)
      for (const CarriedDirection& direction : carried->directions) directions.push_back(direction.direction);
    return directions;
  }

  FlowTracker tracker;
  std::vector<DirectionWalk> walks;
  DecodeCounters decode;
  Fingerprint fingerprint;
  std::optional<Truncation> truncation;
};

// With `rewalk`, only the directions it flags are walked, from the stream
// starts a previous pass established.
void run_pass(const MarkJob& job, Pass& pass, const Pass* rewalk) {
  InputStream in(job.input);
  CaptureReader reader(in, job.torn_tail);
  Progress progress(job.progress, rewalk ? "mark (second pass)" : "mark", in.source_size());
  CaptureRecord record;
  while (reader.next(record)) {
    if (!record.has_packet()) continue;
    throw_if_interrupted();
    DecodedPacket decoded = decode_packet(record.packet.link_type, record.packet.data);
    pass.decode.count(decoded);
    progress.update(in.source_offset(), pass.decode.packets);
    if (decoded.outcome != DecodeOutcome::tcp) continue;
    const TcpSegment& tcp = decoded.tcp;
    SegmentPlace place = pass.tracker.place(tcp);
    if (tcp.payload_captured == 0) continue;
    if (pass.walks.size() <= place.direction) pass.walks.resize(place.direction + 1);
    DirectionWalk& direction = pass.walks[place.direction];
    if (!direction.walk) {
      if (rewalk && !rewalk->walks[place.direction].rewalk) continue;
      uint64_t start = rewalk ? rewalk->tracker.directions()[place.direction].stream_start
                              : pass.tracker.directions()[place.direction].stream_start;
      direction.walk.emplace(start);
      direction.assumed_start = start;
    } else if (!rewalk && place.payload_start < direction.assumed_start) {
      direction.rewalk = true;
    }
    direction.walk->feed(
        place.payload_start,
        std::span<const uint8_t>(record.packet.data).subspan(tcp.payload_offset, tcp.payload_captured));
  }
  // A segment of a split capture hands its open walks on instead of ending them.
  if (!job.state_out)
    for (DirectionWalk& direction : pass.walks)
      if (direction.walk) direction.walk->finish();
  pass.fingerprint = {in.bytes_seen(), in.head_hash()};
  pass.truncation = reader.truncation();
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
  Pass first(job.state_in);
  run_pass(job, first, nullptr);
  Pass second(job.state_in);
  bool any_rewalk =
      std::any_of(first.walks.begin(), first.walks.end(), [](const DirectionWalk& d) { return d.rewalk; });
  if (any_rewalk) run_pass(job, second, &first);

  KeepRuleSet rules;
  rules.engine = "native";
  rules.source_path = job.input.path;
  rules.source = first.fingerprint;
  rules.stats.decode = first.decode;
  rules.stats.truncation = first.truncation;
  if (job.state_in) rules.carried_directions = Pass::carried_directions(job.state_in);
  if (job.state_out) job.state_out->directions.clear();
  for (size_t i = 0; i < first.tracker.directions().size(); ++i) {
    DirectionWalk* direction =
        i < first.walks.size() ? (first.walks[i].rewalk ? &second.walks[i] : &first.walks[i]) : nullptr;
    bool walked = direction && direction->walk;
    if (job.state_out)
      job.state_out->directions.push_back(
          {first.tracker.directions()[i], walked ? std::optional(direction->walk->snapshot()) : std::nullopt});
    if (walked) rules.flows.push_back(flow_rules(first.tracker.directions()[i], *direction->walk));
  }
  return rules;
}

}  // namespace pktmask

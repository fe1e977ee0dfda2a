#include "walk_original.h"

#include <optional>

#include <fmt/format.h>

#include "capture_bytes.h"
#include "capture_reader.h"
#include "decode/decoder.h"
#include "errors.h"
#include "flow_tracker.h"
#include "input_stream.h"
#include "interrupt.h"
#include "policy_walk.h"

namespace pktmask::verify {

namespace {

// Calls visit(record, segment, place) for every TCP segment of the capture,
// placed by `tracker`. Every pass uses a fresh tracker over the same packets
// in the same order, so direction indices and sequence numbers agree.
template <typename Visit>
void for_each_segment(const std::string& path, TornTail torn_tail, FlowTracker& tracker, Visit&& visit) {
  InputStream in(path);
  CaptureReader reader(in, torn_tail);
  CaptureRecord record;
  while (reader.next(record)) {
    if (!record.has_packet) continue;
    throw_if_interrupted();
    DecodedPacket decoded = decode_packet(record.packet.link_type, record.packet.data);
    if (decoded.outcome != DecodeOutcome::tcp) continue;
    SegmentPlace place = tracker.place(decoded.tcp);
    visit(record, decoded.tcp, place);
  }
}

}  // namespace

std::vector<KeptRanges> walk_original(const std::string& path, TornTail torn_tail) {
  FlowTracker first_pass;
  for_each_segment(path, torn_tail, first_pass, [](const CaptureRecord&, const TcpSegment&, const SegmentPlace&) {});
  const std::vector<DirectionState>& starts = first_pass.directions();

  CaptureBytes bytes(path);
  std::vector<std::optional<PolicyWalk>> walks(starts.size());
  FlowTracker second_pass;
  for_each_segment(path, torn_tail, second_pass, [&](const CaptureRecord& record, const TcpSegment& tcp, const SegmentPlace& place) {
    if (tcp.payload_captured == 0) return;
    if (place.direction >= walks.size())
      throw Error(ExitCode::bad_capture, fmt::format("{}: changed while being verified", path));
    std::optional<PolicyWalk>& walk = walks[place.direction];
    if (!walk) walk.emplace(starts[place.direction].stream_start);
    const Packet& packet = record.packet;
    uint64_t data_offset = record.offset + static_cast<uint64_t>(packet.data.data() - record.raw.data());
    bytes.set_window(data_offset, packet.data);
    walk->feed(place.payload_start, tcp.payload_captured, data_offset + tcp.payload_offset, bytes);
  });
  bytes.set_window(0, {});  // the last packet's buffer is gone

  std::vector<KeptRanges> kept(walks.size());
  for (size_t i = 0; i < walks.size(); ++i) {
    if (!walks[i]) continue;
    walks[i]->finish(bytes);
    kept[i] = walks[i]->release();
  }
  return kept;
}

}  // namespace pktmask::verify

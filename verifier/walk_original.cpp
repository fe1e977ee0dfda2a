#include "verifier/walk_original.h"

#include <optional>

#include <fmt/format.h>

#include "common/errors.h"
#include "verifier/capture_bytes.h"
#include "verifier/policy_walk.h"
#include "verifier/tcp_segments.h"

namespace pktmask::verify {

std::vector<KeptRanges> walk_original(const CaptureInput& original, TornTail torn_tail) {
  FlowTracker first_pass;
  for_each_segment(original, torn_tail, first_pass,
                   [](const CaptureRecord&, const TcpSegment&, const SegmentPlace&) {});
  const std::vector<DirectionState>& starts = first_pass.directions();

  CaptureBytes bytes(original);
  std::vector<std::optional<PolicyWalk>> walks(starts.size());
  FlowTracker second_pass;
  for_each_segment(original, torn_tail, second_pass,
                   [&](const CaptureRecord& record, const TcpSegment& tcp, const SegmentPlace& place) {
                     if (tcp.payload_captured == 0) return;
                     if (place.direction >= walks.size())
                       throw Error(ExitCode::bad_capture,
                                   fmt::format("{}: changed while being verified", original.shown()));
                     std::optional<PolicyWalk>& walk = walks[place.direction];
                     if (!walk) walk.emplace(starts[place.direction].stream_start);
                     uint64_t at = data_offset(record);
                     bytes.set_window(at, record.packet.data);
                     walk->feed(place.payload_start, tcp.payload_captured, at + tcp.payload_offset, bytes);
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

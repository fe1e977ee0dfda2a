#pragma once
// The verifier's pass over a capture: every TCP segment, placed by a flow
// tracker. Every pass uses a fresh tracker over the same packets in the same
// order (from the same carried state), so direction indices and sequence
// numbers agree between passes.

#include <string>

#include "common/capture_reader.h"
#include "common/decode/decoder.h"
#include "common/flow_tracker.h"
#include "common/input_stream.h"
#include "common/interrupt.h"

namespace pktmask::verify {

// Calls visit(record, segment, place) for every TCP segment of the capture.
// A torn last record is left out or refused as `torn_tail` says.
template <typename Visit>
void for_each_segment(const CaptureInput& input, TornTail torn_tail, FlowTracker& tracker, Visit&& visit) {
  InputStream in(input);
  CaptureReader reader(in, torn_tail);
  CaptureRecord record;
  while (reader.next(record)) {
    if (!record.has_packet()) continue;
    throw_if_interrupted();
    DecodedPacket decoded = decode_packet(record.packet.link_type, record.packet.data);
    if (decoded.outcome != DecodeOutcome::tcp) continue;
    SegmentPlace place = tracker.place(decoded.tcp);
    visit(record, decoded.tcp, place);
  }
}

// Where a packet's captured bytes lie in the file.
inline uint64_t data_offset(const CaptureRecord& record) {
  return record.offset + static_cast<uint64_t>(record.packet.data.data() - record.raw.data());
}

}  // namespace pktmask::verify

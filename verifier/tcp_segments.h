#pragma once
// The verifier's walks read a capture twice: once for each direction's stream
// start (a direction without a SYN starts at its lowest sequence number, known
// only at the end), once to feed each direction's walk. Both readings run a
// PacketPipeline from the same carried state over the same packets, so
// direction indices and sequence numbers agree between them.

#include <cstdint>
#include <vector>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/packet_pipeline.h"
#include "verifier/capture_bytes.h"

namespace pktmask::verify {

// Every direction of the capture, with its stream start; `visit` sees every
// record read on the way.
template <typename Visit>
std::vector<DirectionState> stream_starts(const CaptureInput& input, const PipelineOptions& options, Visit&& visit) {
  PacketPipeline reading(input, options);
  while (reading.next()) visit(reading.current());
  return reading.tracker().directions();
}

inline std::vector<DirectionState> stream_starts(const CaptureInput& input, const PipelineOptions& options) {
  return stream_starts(input, options, [](const DecodedRecord&) {});
}

// Calls feed(direction, seq, length, file_offset) for the captured payload of
// every TCP segment, in capture order, with `bytes`' window on its packet.
// `directions` is how many stream_starts() found: a direction beyond them
// means the capture changed in between.
template <typename Feed>
void for_each_payload(const CaptureInput& input, const PipelineOptions& options, CaptureBytes& bytes, size_t directions,
                      Feed&& feed) {
  PacketPipeline reading(input, options);
  while (reading.next()) {
    const DecodedRecord& read = reading.current();
    if (!read.tcp() || read.segment().payload_captured == 0) continue;
    if (read.place.direction >= directions)
      throw Error(ExitCode::bad_capture, fmt::format("{}: changed while being verified", input.shown()));
    const CaptureRecord& record = read.record;
    uint64_t at = record.offset + record.packet_offset();
    bytes.set_window(at, record.packet.data);
    feed(read.place.direction, read.place.payload_start, read.segment().payload_captured,
         at + read.segment().payload_offset);
  }
  bytes.set_window(0, {});  // the last packet's buffer is gone
}

}  // namespace pktmask::verify

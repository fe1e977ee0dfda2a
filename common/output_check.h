#pragma once
// The hook between the masker and the check of its output. It lives here,
// below both, so that the masker does not judge its own work and the
// verifier does not depend on the masker.

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "common/flow_tracker.h"
#include "common/packet_pipeline.h"

namespace pktmask {

// Sees every record the masker writes next to the record it was made from,
// before the output is published; `written` is empty for a record left out
// (pcapng metadata blocks, policy section 8). `original` comes decoded and placed by the
// masker's pipeline: the decoder and flow tracker are shared plumbing (the
// check's tracker would start from the same carried state and see the same
// packets), the judging is the check's own.
class OutputCheck {
 public:
  virtual ~OutputCheck() = default;
  virtual void record(const DecodedRecord& original, std::span<const uint8_t> written, uint64_t frame) = 0;
  // All records were seen: throws Error to keep the output from being published.
  virtual void before_publish() = 0;
};

// A raw segment of a capture that arrives in segments (`pktmask capture`)
// and the flow tracker's state at its start.
struct CaptureSegment {
  std::string path;
  std::vector<DirectionState> carried;
};

// Makes the check of one sanitized segment: the raw segment, the next one if
// it was marked as its look-ahead (null: none), and the output's name for
// messages.
using SegmentCheckFactory = std::function<std::unique_ptr<OutputCheck>(
    const CaptureSegment& segment, const CaptureSegment* next, const std::string& output)>;

}  // namespace pktmask

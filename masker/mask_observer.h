#pragma once
// A listener on the masker's pass besides the OutputCheck: it sees each
// record as the output holds it, with what masking zeroed of a packet. The
// report (report/report_collector.h) is built from it, so that a report
// describes exactly the bytes written, in the same pass that writes them.

#include <cstdint>
#include <span>

#include "common/flow_tracker.h"
#include "common/packet_pipeline.h"
#include "masker/packet_mask.h"

namespace pktmask {

struct MaskedRecord {
  // The record after masking: a packet's data holds the output's bytes
  // (zeroed and anonymized); `decoded` and `place` are as read, and the
  // packet's length and layout offsets are the same in both.
  const DecodedRecord& record;
  std::span<const uint8_t> written;  // the record's bytes as written; empty for one left out
  const PacketZeroed* zeroed;        // a packet's: what masking zeroed in it; null otherwise
  const DirectionState* direction;   // a TCP segment's direction; null otherwise
  uint64_t frame;                    // Wireshark's frame number of a packet
};

class MaskObserver {
 public:
  virtual ~MaskObserver() = default;
  virtual void record(const MaskedRecord& masked) = 0;
};

}  // namespace pktmask

#pragma once
// Marks a capture of `packets` held in memory with the native engine,
// carrying the flow tracker's state in (may be null) and out.

#include <vector>

#include "marker/marker.h"
#include "packet_bytes.h"

namespace pktmask::test {

inline KeepRuleSet mark_in_memory(const std::vector<Bytes>& packets, const MarkState* state_in, MarkState* state_out) {
  Bytes capture = pcap_file(packets);
  MarkJob job;
  job.input = CaptureInput::in_memory(capture);
  job.engine = Engine::native;
  job.state_in = state_in;
  job.state_out = state_out;
  return mark_native(job);
}

}  // namespace pktmask::test

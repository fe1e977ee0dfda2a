#pragma once
// The marker's state between the segments of a split capture
// (--state-in / --state-out): each direction's flow-tracker state and walk.

#include <optional>
#include <string>
#include <vector>

#include "common/flow_tracker.h"
#include "marker/record_walk.h"

namespace pktmask {

struct CarriedDirection {
  DirectionState direction;
  std::optional<RecordWalk::Snapshot> walk;  // absent until the direction carried payload
};

struct MarkState {
  std::vector<CarriedDirection> directions;  // in flow-tracker order
};

// The flow tracker's directions a segment starts from: none without `carried`.
std::vector<DirectionState> carried_directions(const MarkState* carried);

// Throw Error(bad_rules) / Error(output_failed) naming the file.
MarkState read_mark_state(const std::string& path);
void write_mark_state(const std::string& path, const MarkState& state);

}  // namespace pktmask

#pragma once
// What the policy keeps of every connection direction of a capture, found by
// reading it twice: once for each direction's stream start (a direction
// without a SYN starts at its lowest sequence number, known only at the end),
// once to walk each direction from there.

#include <string>
#include <vector>

#include "verifier/kept_ranges.h"
#include "verifier/original_addresses.h"

#include "common/capture_input.h"
#include "common/capture_reader.h"
#include "common/policy.h"

namespace pktmask::verify {

// Indexed like FlowTracker::directions() after the same packets; a direction
// without captured payload has empty ranges. `original` must be a regular file or in memory.
// A torn last record (TornTail::leave_out) is left out, as the masker does.
// The original's addresses are collected into `addresses` on the way.
std::vector<KeptRanges> walk_original(const CaptureInput& original, TornTail torn_tail, const PolicySettings& settings,
                                      OriginalAddresses* addresses = nullptr);

}  // namespace pktmask::verify

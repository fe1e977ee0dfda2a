#pragma once
// The EPB comment --annotate puts on a packet whose bytes masking changed,
// e.g. "pktmask: zeroed 120 tcp, 14 trailer bytes": a reader who sees a
// malformed packet in the output can tell sanitizing from breakage.

#include <string>

#include "masker/packet_mask.h"

namespace pktmask {

// The comment for a packet that had `zeroed` bytes zeroed, or "" where none were.
std::string packet_annotation(const PacketZeroed& zeroed);

}  // namespace pktmask

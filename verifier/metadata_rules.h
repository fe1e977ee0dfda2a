#pragma once
// The verifier's own reading of the masking policy's pcapng section (8):
// which blocks and options a sanitized file may hold, and how a block may
// differ from its original outside packet data. Written apart from the
// masker's rewrite (masker/pcapng_scrub.h) on purpose: a mistake there must
// not agree with itself here.

#include <cstdint>
#include <span>
#include <string>

#include "common/capture_reader.h"
#include "common/policy.h"

namespace pktmask::verify {

// Whether a pcapng block of this type may be in a file sanitized under `mode`.
bool block_allowed(uint32_t block_type, MetadataMode mode);
// "a Name Resolution Block", for messages.
std::string block_name(uint32_t block_type);

// The first way `sanitized` breaks section 8 as the output for `original` (a
// pcapng block; empty where the block was left out), or "" where it meets
// it. Judges everything but the packet data: the block's fixed fields, the
// section length (as read, or -1), padding and options. With `annotate`, an
// Enhanced Packet Block may also hold one comment of pktmask's own.
std::string metadata_problem(const CaptureRecord& original, std::span<const uint8_t> sanitized, MetadataMode mode,
                             bool annotate);

}  // namespace pktmask::verify

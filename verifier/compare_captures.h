#pragma once
// The verifier's judging pass: reads the original and the sanitized capture
// in lockstep, record by record, and holds every byte of the sanitized one
// against the policy: kept payload bytes equal the original, masked ones are
// zero, and nothing outside TCP payloads differs except checksums that still
// verify, and pcapng metadata only as the policy rewrites it (packets are
// paired one to one, blocks the policy removes are passed over).

#include <optional>
#include <string>
#include <vector>

#include "verifier/findings.h"
#include "verifier/kept_ranges.h"
#include "verifier/record_comparison.h"

#include "common/capture_input.h"
#include "common/capture_reader.h"
#include "common/policy.h"

namespace pktmask::verify {

// The original's torn last record is left out per `torn_tail` (and its place
// noted in the findings); the sanitized file must be whole. With `addresses`,
// the sanitized file is judged as anonymized.
void compare_captures(const CaptureInput& original, const CaptureInput& sanitized,
                      const std::vector<KeptRanges>& policy, const PolicySettings& settings, TornTail torn_tail,
                      Findings& findings, const FrameHook& hook, std::optional<AddressJudge> addresses = std::nullopt);

}  // namespace pktmask::verify

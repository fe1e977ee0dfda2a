#pragma once
// The version of every --stats document (docs/usage.md, "--stats schema").
// Bumped when a key changes its name or meaning; a new key keeps the version.

namespace pktmask {

constexpr const char* kStatsSchema = "pktmask-stats/2";

}  // namespace pktmask

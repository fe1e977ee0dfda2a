#pragma once
// What `pktmask --version` prints: enough to tell two installations apart
// when their outputs differ (docs/usage.md, VERSION).

#include <string>

namespace pktmask::cli {

// The version, the commit built from, the masking policy version, the tshark
// found on $PATH (or "none") and the build type, one per line.
std::string version_text();

}  // namespace pktmask::cli

#include "cli/version_text.h"

#include <unistd.h>

#include <cstdlib>
#include <string_view>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/policy.h"
#include "common/tshark_process.h"
#include "common/version.h"
#include "git_commit.h"

namespace pktmask::cli {

namespace {

bool on_path(std::string_view program) {
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "";
  while (!dirs.empty()) {
    size_t end = dirs.find(':');
    std::string_view dir = dirs.substr(0, end);
    if (::access(fmt::format("{}/{}", dir.empty() ? "." : dir, program).c_str(), X_OK) == 0) return true;
    dirs = end == std::string_view::npos ? "" : dirs.substr(end + 1);
  }
  return false;
}

// tshark is optional (the native engine needs none), so its absence is an
// answer, not an error; a tshark that is there but unusable says why.
std::string tshark_found() {
  if (!on_path("tshark")) return "none";
  try {
    return check_tshark_version("tshark");
  } catch (const Error& e) {
    return fmt::format("unusable ({})", e.what());
  }
}

}  // namespace

std::string version_text() {
  return fmt::format(
      "pktmask {}\n"
      "commit:  {}\n"
      "policy:  masking policy version {}\n"
      "tshark:  {}\n"
      "build:   {}",
      kVersion, PKTMASK_GIT_COMMIT, kMaskingPolicyVersion, tshark_found(), PKTMASK_BUILD_TYPE);
}

}  // namespace pktmask::cli

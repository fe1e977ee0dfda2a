#include "cli/report_header.h"

#include "common/version.h"

namespace pktmask::cli {

report::ReportHeader report_header(const std::string& file, const PolicySettings& policy, const std::string& subject) {
  return {.file = file,
          .profile = to_string(policy.profile),
          .settings = setting_texts(policy),
          .pktmask_version = kVersion,
          .subject = subject};
}

}  // namespace pktmask::cli

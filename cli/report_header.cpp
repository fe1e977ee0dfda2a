#include "cli/report_header.h"

#include "common/anon/anon_key.h"
#include "common/version.h"

namespace pktmask::cli {

report::ReportHeader report_header(const std::string& file, const PolicySettings& policy, const AnonSetup& anon,
                                   const std::string& subject) {
  bool anonymizing = anon.settings.any();
  return {.file = file,
          .profile = to_string(policy.profile),
          .settings = setting_texts(policy),
          .anonymize = anonymizing ? canonical_string(anon.settings) : "",
          .key_id = anonymizing && anon.key ? key_id(*anon.key) : "",
          .pktmask_version = kVersion,
          .subject = subject};
}

}  // namespace pktmask::cli

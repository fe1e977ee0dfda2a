#pragma once
// What the command line knows of a report's header (docs/report.md): the
// file, the policy and its settings, the anonymization and its key's id, the
// pktmask version. One place for `pktmask report` and the --report option of
// sanitize and mask, so their headers cannot differ in what they say.

#include <string>

#include "common/anon/anon_setup.h"
#include "common/policy.h"
#include "report/report_model.h"

namespace pktmask::cli {

// `anon` is the anonymization the report's subject was made with; `subject`
// is "original" or "sanitized" (report/report_model.h).
report::ReportHeader report_header(const std::string& file, const PolicySettings& policy, const AnonSetup& anon,
                                   const std::string& subject);

}  // namespace pktmask::cli

#pragma once
// What the command line knows of a report's header (docs/report.md): the
// file, the policy and its settings, the pktmask version, the subject. One
// place for `pktmask report` and the --report option of sanitize and mask, so
// their headers cannot differ in what they say. The anonymization and its
// key's id are the collector's to fill: it knows what its pass applied.

#include <string>

#include "common/policy.h"
#include "report/report_model.h"

namespace pktmask::cli {

// `subject` is "original" or "sanitized" (report/report_model.h).
report::ReportHeader report_header(const std::string& file, const PolicySettings& policy, const std::string& subject);

}  // namespace pktmask::cli

#pragma once
// Writes a report where the user asked: the HTML page and the JSON, each
// through a temporary file renamed into place (common/output_file.h), "-"
// for stdout. Used by `pktmask report` and `sanitize --report`.

#include <string>

#include "report/report_model.h"

namespace pktmask::report {

// Either path may be empty (not written). Throws Error(output_failed).
void write_report(const Report& report, const std::string& html_path, const std::string& json_path);

}  // namespace pktmask::report

#pragma once
// The report as JSON (docs/report.md has its schema), for scripts and CI
// gates: the same content as the HTML, every connection and identifier.

#include <string>

#include <nlohmann/json.hpp>

#include "report/report_model.h"

namespace pktmask::report {

nlohmann::json report_json(const Report& report);
// The file's text. Strings the report takes as given (the file name, a
// pcapng application name) may hold bytes that are not UTF-8: each becomes
// U+FFFD, so the JSON stays valid and the run does not fail on them.
std::string report_json_text(const Report& report);

}  // namespace pktmask::report

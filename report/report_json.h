#pragma once
// The report as JSON (docs/report.md has its schema), for scripts and CI
// gates: the same content as the HTML, every connection and identifier.

#include <nlohmann/json.hpp>

#include "report/report_model.h"

namespace pktmask::report {

nlohmann::json report_json(const Report& report);

}  // namespace pktmask::report

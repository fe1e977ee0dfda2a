#pragma once
// The report as one self-contained HTML page: inline CSS and JavaScript, the
// SVG timeline and byte chart inline (report/timeline_svg.h), no request to
// any network or file. Sorting, filtering and paging of the connection table
// work offline. The page state (sort, filter, page) is read from and
// written to the URL fragment, so a view can be linked and tests can load
// one. It stays a few MB at most: docs/report.md says what is left out of
// the page for large captures.

#include <string>

#include "report/report_model.h"

namespace pktmask::report {

std::string report_html(const Report& report);

}  // namespace pktmask::report

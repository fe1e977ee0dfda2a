#pragma once
// The report's pictures, drawn as SVG by pktmask: the timeline (one lane per
// connection, each record a mark coloured by its type; retransmissions, gaps
// and resets marked) and the chart of bytes kept against zeroed over time.
// The timeline stays readable at any number of connections: it draws at most
// kMaxLanes lanes and says which (report/timeline_svg.cpp).

#include <string>

#include "report/report_model.h"

namespace pktmask::report {

inline constexpr size_t kMaxLanes = 200;

// An <svg> element, with a caption text saying what was drawn of how many.
std::string timeline_svg(const Report& report);
std::string bytes_chart_svg(const Report& report);

}  // namespace pktmask::report

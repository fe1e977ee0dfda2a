#pragma once
// The report's pictures, drawn as SVG by pktmask: the timeline (one lane per
// connection, each record a mark coloured by its type; retransmissions, gaps
// and resets marked) and the chart of bytes kept against zeroed over time.
// The timeline stays readable at any number of connections: it draws at most
// kMaxLanes lanes and says which (timeline_caption).
//
// Colours come from the page's stylesheet (report/report.css) by class:
// marks are class="mark mark-KIND" with KIND the MarkKind's name with
// hyphens (mark-handshake, mark-application-data, mark-change-cipher-spec,
// mark-alert, mark-heartbeat, mark-retransmission, mark-gap, mark-reset);
// lanes are <g class="lane" data-id="ID">, the aggregate lane
// <g class="lane lane-all">; the byte chart's bars bar-kept and bar-zeroed.

#include <string>

#include "report/report_model.h"

namespace pktmask::report {

inline constexpr size_t kMaxLanes = 200;

// What the timeline draws of how many, in words: the SVG's caption text and
// the page's.
std::string timeline_caption(const Report& report);

// <svg id="timeline"> and <svg id="bytes-chart">.
std::string timeline_svg(const Report& report);
std::string bytes_chart_svg(const Report& report);

}  // namespace pktmask::report

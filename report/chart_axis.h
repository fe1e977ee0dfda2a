#pragma once
// What the report's two charts share: one time scale (so the timeline and
// the byte chart line up, both measured from the first packet), round tick
// steps, and the drawing of a time axis.

#include <cstdint>
#include <string>
#include <vector>

#include "report/report_model.h"

namespace pktmask::report {

// Both charts: the plot area's left edge and width in SVG units.
inline constexpr double kChartWidth = 1200;
inline constexpr double kPlotLeft = 250;
inline constexpr double kPlotWidth = kChartWidth - kPlotLeft - 20;

struct TimeScale {
  int64_t origin_us = 0;  // the first packet's time: x = 0
  int64_t span_us = 1;    // what the plot's width covers, > 0
  double x(int64_t time_us) const;
};

// From the first packet to the last one the report knows of (packets,
// connections, byte bins); at least a millisecond.
TimeScale time_scale(const Report& report);

struct Tick {
  double value = 0;
  std::string label{};
};

// Ticks at a round step (1, 2, 5 µs ... 15 s, 30 s, 1 min ... hours), at
// most about `max_ticks` of them, labelled relative to the origin.
std::vector<Tick> time_ticks(int64_t span_us, size_t max_ticks);
// Ticks at 1, 2 or 5 times a power of ten from 0 to past `max`, labelled
// as byte sizes.
std::vector<Tick> byte_ticks(uint64_t max, size_t max_ticks);

// Tick labels above `top` and grid lines from `top` to `bottom`.
std::string time_axis_svg(const TimeScale& scale, double top, double bottom);

}  // namespace pktmask::report

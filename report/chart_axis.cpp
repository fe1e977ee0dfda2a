#include "report/chart_axis.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <fmt/format.h>

#include "report/report_text.h"

namespace pktmask::report {

namespace {

struct TimeStep {
  int64_t us;
  int64_t unit_us;
  const char* unit;
};

constexpr int64_t kMs = 1000;
constexpr int64_t kS = 1000 * kMs;
constexpr int64_t kMin = 60 * kS;
constexpr int64_t kHour = 60 * kMin;
constexpr int64_t kDay = 24 * kHour;

constexpr std::array<TimeStep, 33> kTimeSteps{{
    {1, 1, "µs"},
    {2, 1, "µs"},
    {5, 1, "µs"},
    {10, 1, "µs"},
    {20, 1, "µs"},
    {50, 1, "µs"},
    {100, 1, "µs"},
    {200, 1, "µs"},
    {500, 1, "µs"},
    {kMs, kMs, "ms"},
    {2 * kMs, kMs, "ms"},
    {5 * kMs, kMs, "ms"},
    {10 * kMs, kMs, "ms"},
    {20 * kMs, kMs, "ms"},
    {50 * kMs, kMs, "ms"},
    {100 * kMs, kS, "s"},
    {200 * kMs, kS, "s"},
    {500 * kMs, kS, "s"},
    {kS, kS, "s"},
    {2 * kS, kS, "s"},
    {5 * kS, kS, "s"},
    {10 * kS, kS, "s"},
    {15 * kS, kS, "s"},
    {30 * kS, kS, "s"},
    {kMin, kMin, "min"},
    {2 * kMin, kMin, "min"},
    {5 * kMin, kMin, "min"},
    {15 * kMin, kMin, "min"},
    {30 * kMin, kMin, "min"},
    {kHour, kHour, "h"},
    {3 * kHour, kHour, "h"},
    {6 * kHour, kHour, "h"},
    {kDay, kDay, "d"},
}};

std::string number_text(double value) {
  std::string text = fmt::format("{:.3f}", value);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

}  // namespace

double TimeScale::x(int64_t time_us) const {
  return kPlotLeft + kPlotWidth * static_cast<double>(time_us - origin_us) / static_cast<double>(span_us);
}

TimeScale time_scale(const Report& report) {
  const int64_t origin = report.header.first_time_us;
  int64_t last = report.header.last_time_us;
  for (const Connection& connection : report.connections) last = std::max(last, connection.last_time_us);
  const auto bins = static_cast<int64_t>(report.series.bins.size());
  if (bins > 0) last = std::max(last, report.series.start_us + bins * report.series.bin_us);
  return TimeScale{.origin_us = origin, .span_us = std::max<int64_t>(last - origin, kMs)};
}

std::vector<Tick> time_ticks(int64_t span_us, size_t max_ticks) {
  const auto* step = std::find_if(kTimeSteps.begin(), kTimeSteps.end(), [&](const TimeStep& candidate) {
    return span_us / candidate.us < static_cast<int64_t>(max_ticks);
  });
  if (step == kTimeSteps.end()) step = kTimeSteps.end() - 1;
  // Past the longest step (a capture over weeks, or a clock jump): whole days.
  int64_t step_us = step->us;
  while (span_us / step_us >= static_cast<int64_t>(max_ticks)) step_us *= 2;
  std::vector<Tick> ticks;
  for (int64_t t = 0; t <= span_us; t += step_us) {
    const double in_unit = static_cast<double>(t) / static_cast<double>(step->unit_us);
    ticks.push_back({static_cast<double>(t), number_text(in_unit) + " " + step->unit});
  }
  return ticks;
}

std::vector<Tick> byte_ticks(uint64_t max, size_t max_ticks) {
  double step = 1;
  for (double magnitude = 1;; magnitude *= 10) {
    const auto fits = [&](double candidate) {
      return static_cast<double>(max) / candidate < static_cast<double>(max_ticks);
    };
    if (fits(magnitude) || fits(2 * magnitude) || fits(5 * magnitude)) {
      step = fits(magnitude) ? magnitude : fits(2 * magnitude) ? 2 * magnitude : 5 * magnitude;
      break;
    }
  }
  std::vector<Tick> ticks;
  for (double value = 0;; value += step) {
    ticks.push_back({value, byte_size_text(value)});
    if (value >= static_cast<double>(max)) break;
  }
  return ticks;
}

std::string time_axis_svg(const TimeScale& scale, double top, double bottom) {
  std::string out = "<g class=\"axis axis-time\">";
  for (const Tick& tick : time_ticks(scale.span_us, 10)) {
    const double x = scale.x(scale.origin_us + static_cast<int64_t>(tick.value));
    out += fmt::format(
        "<line class=\"grid\" x1=\"{0:.1f}\" x2=\"{0:.1f}\" y1=\"{1:.1f}\" y2=\"{2:.1f}\"/>"
        "<text x=\"{0:.1f}\" y=\"{3:.1f}\" text-anchor=\"middle\">{4}</text>",
        x, top, bottom, top - 4, tick.label);
  }
  return out + "</g>";
}

}  // namespace pktmask::report

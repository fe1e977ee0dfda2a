#include "report/timeline_svg.h"

#include <algorithm>

#include <fmt/format.h>

#include "report/busiest.h"
#include "report/chart_axis.h"
#include "report/markup.h"
#include "report/report_text.h"

namespace pktmask::report {

namespace {

constexpr double kLaneHeight = 14;
constexpr double kRoomyLaneHeight = 24;  // where few lanes leave room
constexpr size_t kRoomyLanes = 20;
constexpr double kAggregateHeight = 30;
constexpr double kCaptionY = 18;
constexpr double kCaptionLine = 17;
constexpr double kLegendY = 58;
constexpr double kAxisY = 92;
constexpr double kLanesTop = 98;
constexpr size_t kDensityBins = 240;
constexpr size_t kLabelChars = 40;

// The SVG element's opening tag, its title (the accessible name) and caption.
std::string svg_open(const char* id, double height, const char* title) {
  return fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{0}\" class=\"chart\" viewBox=\"0 0 {1:.0f} {2:.0f}\" "
      "width=\"{1:.0f}\" height=\"{2:.0f}\" role=\"img\" aria-labelledby=\"{0}-title\">"
      "<title id=\"{0}-title\">{3}</title>",
      id, kChartWidth, height, title);
}

// One line a sentence: the caption is wider than the picture.
std::string caption_svg(const std::string& caption) {
  std::string out = fmt::format("<text class=\"caption\" x=\"{:.0f}\" y=\"{:.0f}\">", kPlotLeft, kCaptionY);
  double dy = 0;
  for (size_t start = 0; start < caption.size();) {
    const size_t stop = caption.find(". ", start);
    const size_t end = stop == std::string::npos ? caption.size() : stop + 1;
    out += fmt::format("<tspan x=\"{:.0f}\" dy=\"{:.0f}\">{}</tspan>", kPlotLeft, dy,
                       escape_markup(caption.substr(start, end - start)));
    dy = kCaptionLine;
    start = end + (stop == std::string::npos ? 0 : 1);
  }
  return out + "</text>";
}

std::string kind_class(MarkKind kind) {
  std::string name = to_string(kind);
  std::replace(name.begin(), name.end(), '_', '-');
  return name;
}

bool is_record(MarkKind kind) {
  return kind != MarkKind::retransmission && kind != MarkKind::gap && kind != MarkKind::reset;
}

// A mark's shape at x in a lane whose top is 0: records as ticks, the
// client's in the upper half and the server's in the lower; events as
// symbols across the middle.
std::string mark_path(const TimelineMark& mark, double x, double lane_height) {
  const double middle = lane_height / 2;
  switch (mark.kind) {
    case MarkKind::retransmission:
      return fmt::format("M{:.1f} {:.1f}l3 6h-6z", x, middle - 3);
    case MarkKind::gap:
      return fmt::format("M{:.1f} {:.1f}h5v5h-5z", x - 2.5, middle - 2.5);
    case MarkKind::reset:
      return fmt::format("M{:.1f} {:.1f}l6 6m0 -6l-6 6", x - 3, middle - 3);
    default:
      return fmt::format("M{:.1f} {:.1f}v{:.0f}", x, mark.from_client ? 1.0 : middle, middle - 1);
  }
}

std::string legend_svg() {
  std::string out = fmt::format("<g class=\"legend\" transform=\"translate({:.0f} {:.0f})\">", kPlotLeft, kLegendY);
  double x = 0;
  for (size_t i = 0; i < kMarkKindCount; ++i) {
    const auto kind = static_cast<MarkKind>(i);
    TimelineMark sample{.kind = kind};
    const std::string name = to_string(kind);
    std::string label = name == "change_cipher_spec" ? "CCS" : name;
    std::replace(label.begin(), label.end(), '_', ' ');
    out += fmt::format(
        "<g transform=\"translate({:.0f} -7)\"><path class=\"swatch swatch-{}\" d=\"{}\"/>"
        "<text x=\"10\" y=\"11\">{}</text></g>",
        x, kind_class(kind), is_record(kind) ? "M3 1v12" : mark_path(sample, 3, kLaneHeight), label);
    x += 18 + 6.2 * static_cast<double>(label.size());
  }
  return out + "</g>";
}

// "7 10.0.0.1:40000→10.0.0.2:443", cut to fit the label column; the whole
// label is the lane's tooltip.
std::string lane_label(const Connection& connection) {
  const std::string label = fmt::format("{} {}\u2192{}", connection.id, connection.client, connection.server);
  if (label.size() <= kLabelChars) return label;
  size_t cut = kLabelChars - 1;
  while (cut > 0 && (static_cast<unsigned char>(label[cut]) & 0xC0) == 0x80) --cut;
  return label.substr(0, cut) + "\u2026";
}

std::string lane_svg(const Connection& connection, const TimeScale& scale, double top, double height, bool shaded) {
  std::string out =
      fmt::format("<g class=\"lane\" data-id=\"{}\" transform=\"translate(0 {:.0f})\">", connection.id, top);
  if (shaded)
    out += fmt::format("<rect class=\"lane-bg\" x=\"0\" y=\"0\" width=\"{:.0f}\" height=\"{:.0f}\"/>", kChartWidth,
                       height);
  out +=
      fmt::format("<text class=\"lane-label\" x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"end\"><title>{}</title>{}</text>",
                  kPlotLeft - 8, height / 2 + 4,
                  escape_markup(fmt::format("{} {}\u2192{}", connection.id, connection.client, connection.server)),
                  escape_markup(lane_label(connection)));
  const double start = scale.x(connection.first_time_us);
  out += fmt::format("<rect class=\"span\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"2\"/>", start,
                     height / 2 - 1, std::max(scale.x(connection.last_time_us) - start, 1.0));
  for (const TimelineMark& mark : connection.marks) {
    out += fmt::format("<path class=\"mark mark-{}\" d=\"{}\"/>", kind_class(mark.kind),
                       mark_path(mark, scale.x(mark.time_us), height));
  }
  return out + "</g>";
}

// The top lane when not every connection has its own: how many connections
// are open in each time bin, as bars.
std::string aggregate_lane_svg(const Report& report, const TimeScale& scale, double top) {
  std::vector<int64_t> open(kDensityBins + 1, 0);
  const auto bin_of = [&](int64_t time_us) {
    const double at = static_cast<double>(time_us - scale.origin_us) / static_cast<double>(scale.span_us);
    return std::clamp(static_cast<size_t>(std::max(at, 0.0) * kDensityBins), size_t{0}, kDensityBins - 1);
  };
  for (const Connection& connection : report.connections) {
    ++open[bin_of(connection.first_time_us)];
    --open[bin_of(connection.last_time_us) + 1];
  }
  int64_t most = 1;
  int64_t running = 0;
  for (size_t i = 0; i < kDensityBins; ++i) {
    running += open[i];
    open[i] = running;
    most = std::max(most, running);
  }
  std::string out = fmt::format(
      "<g class=\"lane lane-all\" transform=\"translate(0 {:.0f})\">"
      "<text class=\"lane-label\" x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"end\">all {} connections</text>",
      top, kPlotLeft - 8, kAggregateHeight / 2 + 4, report.connections.size());
  const double bin_width = kPlotWidth / kDensityBins;
  for (size_t i = 0; i < kDensityBins; ++i) {
    if (open[i] == 0) continue;
    const double height = (kAggregateHeight - 4) * static_cast<double>(open[i]) / static_cast<double>(most);
    out += fmt::format(
        "<rect class=\"density\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\">"
        "<title>{} connections open</title></rect>",
        kPlotLeft + bin_width * static_cast<double>(i), kAggregateHeight - 2 - height, bin_width, height, open[i]);
  }
  return out + "</g>";
}

}  // namespace

std::string timeline_caption(const Report& report) {
  const size_t total = report.connections.size();
  if (total == 0) return "No connections to draw.";
  std::string caption =
      total <= kMaxLanes
          ? fmt::format("Showing all {} connection{}.", total, total == 1 ? "" : "s")
          : fmt::format("Showing {} of {} connections (the busiest); the top lane aggregates all.", kMaxLanes, total);
  size_t cut = 0;
  for (size_t index : busiest_connections(report.connections, kMaxLanes)) {
    if (report.connections[index].marks_dropped > 0) ++cut;
  }
  if (cut > 0) {
    caption +=
        fmt::format(" Marks: at most {} records per connection are drawn ({} of the drawn connections had more).",
                    kMaxMarksPerConnection, cut);
  }
  return caption;
}

std::string timeline_svg(const Report& report) {
  const std::vector<size_t> lanes = busiest_connections(report.connections, kMaxLanes);
  const bool aggregate = lanes.size() < report.connections.size();
  const double lanes_top = kLanesTop + (aggregate ? kAggregateHeight + 4 : 0);
  const double height = lanes.size() <= kRoomyLanes ? kRoomyLaneHeight : kLaneHeight;
  const double bottom = lanes_top + height * static_cast<double>(std::max<size_t>(lanes.size(), 1)) + 8;
  const TimeScale scale = time_scale(report);
  std::string out = svg_open("timeline", bottom, "Timeline: one lane per connection, records coloured by type");
  out += caption_svg(timeline_caption(report));
  out += legend_svg();
  out += time_axis_svg(scale, kAxisY, bottom);
  if (aggregate) out += aggregate_lane_svg(report, scale, kLanesTop);
  for (size_t i = 0; i < lanes.size(); ++i) {
    out +=
        lane_svg(report.connections[lanes[i]], scale, lanes_top + height * static_cast<double>(i), height, i % 2 == 1);
  }
  return out + "</svg>";
}

std::string bytes_chart_svg(const Report& report) {
  constexpr double kTop = 70;
  constexpr double kHeight = 200;
  constexpr double kBottom = kTop + kHeight;
  const TimeScale scale = time_scale(report);
  std::string out = svg_open("bytes-chart", kBottom + 30, "Bytes kept and zeroed over time");
  out += fmt::format(
      "<g class=\"legend\" transform=\"translate({:.0f} 20)\">"
      "<rect class=\"bar-kept\" x=\"0\" y=\"0\" width=\"12\" height=\"12\"/><text x=\"18\" y=\"11\">kept</text>"
      "<rect class=\"bar-zeroed\" x=\"70\" y=\"0\" width=\"12\" height=\"12\"/><text x=\"88\" y=\"11\">zeroed</text>"
      "</g>",
      kPlotLeft);
  const ByteSeries& series = report.series;
  uint64_t most = 0;
  for (const Count& bin : series.bins) most = std::max(most, bin.kept + bin.zeroed);
  const std::vector<Tick> ticks = byte_ticks(most, 6);
  const double top_value = std::max(ticks.back().value, 1.0);
  const auto y_of = [&](double bytes) { return kBottom - kHeight * bytes / top_value; };
  out += "<g class=\"axis axis-bytes\">";
  for (const Tick& tick : ticks) {
    out += fmt::format(
        "<line class=\"grid\" x1=\"{0:.0f}\" x2=\"{1:.0f}\" y1=\"{2:.1f}\" y2=\"{2:.1f}\"/>"
        "<text x=\"{3:.0f}\" y=\"{4:.1f}\" text-anchor=\"end\">{5}</text>",
        kPlotLeft, kPlotLeft + kPlotWidth, y_of(tick.value), kPlotLeft - 8, y_of(tick.value) + 4, tick.label);
  }
  out += "</g>";
  out += time_axis_svg(scale, kTop - 8, kBottom);
  const double bin_width = std::max(scale.x(scale.origin_us + series.bin_us) - scale.x(scale.origin_us), 1.0);
  for (size_t i = 0; i < series.bins.size(); ++i) {
    const Count& bin = series.bins[i];
    if (bin.kept + bin.zeroed == 0) continue;
    const int64_t start = series.start_us + static_cast<int64_t>(i) * series.bin_us;
    const double x = scale.x(start);
    const double kept_top = y_of(static_cast<double>(bin.kept));
    const double zeroed_top = y_of(static_cast<double>(bin.kept + bin.zeroed));
    out += fmt::format(
        "<g class=\"bin\"><title>{} to {}: {} kept, {} zeroed</title>"
        "<rect class=\"bar-kept\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\"/>"
        "<rect class=\"bar-zeroed\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.2f}\" height=\"{:.1f}\"/></g>",
        duration_text(start - scale.origin_us), duration_text(start + series.bin_us - scale.origin_us),
        byte_size_text(static_cast<double>(bin.kept)), byte_size_text(static_cast<double>(bin.zeroed)), x, kept_top,
        bin_width, kBottom - kept_top, x, zeroed_top, bin_width, kept_top - zeroed_top);
  }
  if (most == 0) {
    out +=
        fmt::format("<text class=\"empty\" x=\"{:.0f}\" y=\"{:.0f}\" text-anchor=\"middle\">No bytes to chart.</text>",
                    kPlotLeft + kPlotWidth / 2, kTop + kHeight / 2);
  }
  return out + "</svg>";
}

}  // namespace pktmask::report

#include "report/report_html.h"

#include "report/timeline_svg.h"

namespace pktmask::report {

std::string report_html(const Report& report) {
  return "<!DOCTYPE html><html><body>" + timeline_svg(report) + bytes_chart_svg(report) + "</body></html>\n";
}

}  // namespace pktmask::report

#pragma once
// The report page's stylesheet and script, written as report/report.css and
// report/report.js and embedded into the binary when it is built
// (report/CMakeLists.txt generates page_assets.cpp from them).

#include <string_view>

namespace pktmask::report {

std::string_view report_css();
std::string_view report_js();

}  // namespace pktmask::report

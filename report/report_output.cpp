#include "report/report_output.h"

#include "common/output_file.h"
#include "report/report_html.h"
#include "report/report_json.h"

namespace pktmask::report {

void write_report(const Report& report, const std::string& html_path, const std::string& json_path) {
  if (!html_path.empty()) {
    OutputFile out(html_path);
    out.write(report_html(report));
    out.commit();
  }
  if (!json_path.empty()) {
    OutputFile out(json_path);
    out.write(report_json(report).dump(2) + "\n");
    out.commit();
  }
}

}  // namespace pktmask::report

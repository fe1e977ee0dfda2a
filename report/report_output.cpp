#include "report/report_output.h"

#include <optional>

#include "common/output_file.h"
#include "report/report_html.h"
#include "report/report_json.h"

namespace pktmask::report {

void write_report(const Report& report, const std::string& html_path, const std::string& json_path) {
  // Both are written before either is committed, so a failure of one (an
  // unwritable directory, a full disk) leaves neither behind.
  std::optional<OutputFile> html;
  std::optional<OutputFile> json;
  if (!html_path.empty()) html.emplace(html_path).write(report_html(report));
  if (!json_path.empty()) json.emplace(json_path).write(report_json_text(report));
  if (html) html->commit();
  if (json) json->commit();
}

}  // namespace pktmask::report

#include "report/report_json.h"

namespace pktmask::report {

nlohmann::json report_json(const Report& report) {
  return {{"schema_version", kReportSchemaVersion}, {"file", report.header.file}};
}

}  // namespace pktmask::report

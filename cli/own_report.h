#pragma once
// --report and --report-json of the commands that write a sanitized capture
// (sanitize, mask): the report of their own output, collected during the
// mask pass (the masker's observer) and written only once the output is
// committed, so a run that fails leaves no report of an output it did not
// publish (docs/report.md).

#include <optional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/path_clash.h"
#include "report/report_collector.h"
#include "verifier/self_check.h"

namespace pktmask::cli {

struct OwnReportPaths {
  std::string html;  // --report FILE.html
  std::string json;  // --report-json FILE.json

  bool wanted() const { return !html.empty() || !json.empty(); }
  // As check_paths names them.
  std::vector<NamedPath> named() const { return {{html, "--report"}, {json, "--report-json"}}; }
};

void add_own_report_options(CLI::App& command, OwnReportPaths& paths);

class OwnReport {
 public:
  // `rules` must outlive it; `input` names the input in the header.
  OwnReport(const OwnReportPaths& paths, const std::string& input, const KeepRuleSet& rules,
            const PolicySettings& policy, const AnonSetup& anon);
  // What MaskJob::observer gets: nullptr when no report was asked for.
  MaskObserver* observer() { return collector_ ? &*collector_ : nullptr; }
  // Call after the output is committed. `self_check` as the run left it;
  // `self_check_off`: --no-self-check.
  void write(const MaskStats& masked, const verify::SelfCheckStats& self_check, bool self_check_off);

 private:
  OwnReportPaths paths_;
  std::optional<report::ReportCollector> collector_;
};

}  // namespace pktmask::cli

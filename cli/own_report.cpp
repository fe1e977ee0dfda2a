#include "cli/own_report.h"

#include "cli/report_header.h"
#include "report/report_output.h"

namespace pktmask::cli {

namespace {

// Reached only when the output was committed, so a self-check that ran passed.
std::string self_check_verdict(const verify::SelfCheckStats& self_check, bool self_check_off) {
  if (self_check_off) return "not run: --no-self-check";
  if (!self_check.ran)
    return "not run: " + (self_check.not_run_reason.empty() ? std::string("no self-check") : self_check.not_run_reason);
  return "pass (self-check)";
}

}  // namespace

void add_own_report_options(CLI::App& command, OwnReportPaths& paths) {
  command.add_option("--report", paths.html, "Also write the HTML report of the output to FILE (- for stdout)");
  command.add_option("--report-json", paths.json, "Also write the report of the output as JSON to FILE (- for stdout)");
}

OwnReport::OwnReport(const OwnReportPaths& paths, const std::string& input, const KeepRuleSet& rules,
                     const PolicySettings& policy, const AnonSetup& anon)
    : paths_(paths) {
  if (paths.wanted()) collector_.emplace(rules, policy, anon, report_header(input, policy, "sanitized"));
}

void OwnReport::write(const MaskStats& masked, const verify::SelfCheckStats& self_check, bool self_check_off) {
  if (!collector_) return;
  report::Report report = collector_->finish(masked);
  report.header.verdict = self_check_verdict(self_check, self_check_off);
  report::write_report(report, paths_.html, paths_.json);
}

}  // namespace pktmask::cli

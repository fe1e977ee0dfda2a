#include <memory>

#include "cli/anon_options.h"
#include "cli/commands.h"
#include "cli/input_spool.h"
#include "cli/io_helpers.h"
#include "cli/path_clash.h"
#include "cli/policy_options.h"
#include "cli/truncated_input.h"
#include "common/version.h"
#include "masker/masker.h"
#include "report/report_collector.h"
#include "report/report_output.h"

namespace pktmask::cli {

namespace {

struct ReportOptions {
  std::string input;
  std::string html = "report.html";
  std::string json;
  std::string engine = "native";
  std::string tshark = "tshark";
  bool no_progress = false;
  bool strict_input = false;
  PolicyArguments policy;
};

void run_report(const ReportOptions& options) {
  PolicySettings policy = options.policy.resolve().settings;
  AnonSetup anon = masking_anon(options.policy, policy.profile);
  check_paths({{options.input, "the input"}}, {{options.html, "-o"}, {options.json, "--json"}});
  InputSpool input(options.input);
  TornTail tail = torn_tail(options.strict_input);
  KeepRuleSet rules = mark_capture({.input = input.input(),
                                    .engine = parse_engine(options.engine),
                                    .tshark = options.tshark,
                                    .progress = !options.no_progress,
                                    .torn_tail = tail,
                                    .policy = policy});
  report::ReportHeader header{.file = options.input,
                              .profile = to_string(policy.profile),
                              .settings = setting_texts(policy),
                              .pktmask_version = kVersion,
                              .subject = "original"};
  report::ReportCollector collector(rules, policy, anon, header);
  MaskStats masked = mask_capture({.input = input.input(),
                                   .output = "",
                                   .progress = !options.no_progress,
                                   .torn_tail = tail,
                                   .observer = &collector,
                                   .policy = policy,
                                   .anon = anon},
                                  rules);
  warn_if_truncated(options.input, masked.truncation);
  report::write_report(collector.finish(masked), options.html, options.json);
}

}  // namespace

void add_report(CLI::App& app, Action& action) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* command =
      app.add_subcommand("report", "Write an HTML and JSON account of what a capture reveals (docs/report.md)");
  command->add_option("input", options->input, "Capture to report on (pcap or pcapng; - for stdin)")->required();
  command->add_option("-o,--output", options->html, "HTML report to write (- for stdout)")->capture_default_str();
  command->add_option("--json", options->json, "Also write the report as JSON to FILE (- for stdout)");
  add_engine_option(*command, options->engine, options->tshark);
  add_strict_input_option(*command, options->strict_input);
  command->add_flag("--no-progress", options->no_progress, "Never draw the progress line on stderr");
  add_policy_options(*command, options->policy, action, WithAnonymization::yes);
  command->callback([options, &action] { action = [options] { run_report(*options); }; });
}

}  // namespace pktmask::cli

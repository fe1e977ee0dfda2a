#include <unistd.h>

#include <chrono>
#include <optional>

#include "cli/anon_options.h"
#include "cli/commands.h"
#include "cli/input_spool.h"
#include "cli/io_helpers.h"
#include "cli/own_report.h"
#include "cli/path_clash.h"
#include "cli/policy_options.h"
#include "cli/truncated_input.h"
#include "common/errors.h"
#include "masker/masker.h"
#include "verifier/self_check.h"

namespace pktmask::cli {

namespace {

struct MaskOptions {
  std::string input;
  std::string rules;
  std::string output;
  std::string stats;
  bool no_progress = false;
  bool no_self_check = false;
  bool strict_input = false;
  OwnReportPaths report;
  PolicyArguments policy;

  std::vector<NamedPath> outputs() const {
    std::vector<NamedPath> named{{output, "-o"}, {stats, "--stats"}};
    for (const NamedPath& path : report.named()) named.push_back(path);
    return named;
  }
};

void run_mask(const MaskOptions& options) {
  auto start = std::chrono::steady_clock::now();
  PolicySettings policy = options.policy.resolve().settings;
  AnonSetup anon = masking_anon(options.policy, policy.profile);
  std::string rules_path = options.rules.empty() ? "-" : options.rules;
  KeepRuleSet rules = parse_keep_rules(read_text(rules_path, static_cast<int>(ExitCode::bad_rules)),
                                       rules_path == "-" ? "<stdin>" : rules_path);
  std::string input = options.input.empty() ? rules.source_path : options.input;
  if (input == "-" && rules_path == "-")
    throw Error(ExitCode::usage, "the capture and the rules cannot both come from stdin");
  if (input == "-" && options.input.empty())
    throw Error(ExitCode::usage, "the rules were made from stdin: name the capture (pktmask mask IN ...)");
  check_paths({{input, "the input"}, {rules_path, "--rules"}}, options.outputs());
  // The self-check reads the original more than once: a spool makes stdin or a FIFO readable again.
  std::optional<InputSpool> spool;
  std::optional<verify::SelfCheck> check;
  MaskJob job{.input = input,
              .output = options.output,
              .progress = !options.no_progress,
              .torn_tail = torn_tail(options.strict_input),
              .check = nullptr,
              .policy = policy,
              .anon = anon};
  // Rules of one segment of a split capture (--state-in) continue walks this
  // process never saw, so the check cannot judge them on its own: verify the
  // joined segments instead (docs/usage.md).
  bool segment_rules = !rules.carried_directions.empty();
  if (!options.no_self_check && !segment_rules) {
    spool.emplace(input);
    job.input = spool->input();
    check.emplace(job.input.path, options.output, job.torn_tail, job.policy, job.anon);
    job.check = &*check;
  }
  OwnReport report(options.report, input, rules, policy, anon);
  job.observer = report.observer();
  MaskStats stats = mask_capture(job, rules);
  verify::SelfCheckStats self_check = check ? check->stats() : verify::SelfCheckStats{};
  if (segment_rules && !options.no_self_check) self_check.not_run_reason = "rules of a capture segment";
  warn_if_truncated(input, stats.truncation);
  report.write(stats, self_check, options.no_self_check);
  if (!options.stats.empty())
    write_stats(options.stats, stats_json({.input = input,
                                           .output = options.output,
                                           .mask = &stats,
                                           .self_check = &self_check,
                                           .policy = &policy,
                                           .anon = &anon,
                                           .start = start}));
}

}  // namespace

void add_mask(CLI::App& app, Action& action) {
  auto options = std::make_shared<MaskOptions>();
  CLI::App* command = app.add_subcommand("mask", "Zero every TCP payload byte a KeepRuleSet does not keep");
  command->footer(
      "Copies the capture byte for byte, except TCP payload bytes outside the\n"
      "kept ranges, which become zero, and TCP checksums, which are fixed\n"
      "wherever they verified in the input. The output keeps the input's format.\n"
      "Without --rules the rules are read from stdin; without IN the capture is\n"
      "the one the rules were made from.\n\n"
      "Examples:\n"
      "  pktmask mark in.pcap | pktmask mask -o out.pcap\n"
      "  pktmask mask in.pcapng --rules in.rules.json -o out.pcapng\n"
      "  pktmask mark in.pcap | pktmask mask --anonymize ip,mac --key site.key -o out.pcap\n\n"
      "Rules never depend on --anonymize: rules made without it serve it, and\n"
      "'mark | mask --anonymize' writes what 'sanitize --anonymize' writes.");
  command->add_option("input", options->input, "Capture to mask (- for stdin; default: the rules' source)");
  command->add_option("-r,--rules", options->rules, "KeepRuleSet file (- or omitted: stdin)");
  command->add_option("-o,--output", options->output, "Sanitized capture to write (- for stdout)")->required();
  command->add_option("--stats", options->stats, "Write statistics as JSON to FILE (- for stdout)");
  add_strict_input_option(*command, options->strict_input);
  command->add_flag("--no-progress", options->no_progress, "Never draw the progress line on stderr");
  add_self_check_option(*command, options->no_self_check);
  add_own_report_options(*command, options->report);
  add_policy_options(*command, options->policy, action, WithAnonymization::yes);
  command->callback([options, &action] {
    refuse_shared_stdout(options->outputs());
    action = [options] { run_mask(*options); };
  });
}

}  // namespace pktmask::cli

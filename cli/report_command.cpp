#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "cli/anon_options.h"
#include "cli/commands.h"
#include "cli/input_spool.h"
#include "cli/io_helpers.h"
#include "cli/path_clash.h"
#include "cli/policy_options.h"
#include "cli/report_header.h"
#include "cli/truncated_input.h"
#include "masker/masker.h"
#include "report/report_collector.h"
#include "report/report_output.h"
#include "verifier/verify.h"

namespace pktmask::cli {

namespace {

struct ReportOptions {
  std::string input;
  std::string html;
  std::string json;
  std::string original;
  std::string engine = "native";
  std::string tshark = "tshark";
  bool no_progress = false;
  bool strict_input = false;
  PolicyArguments policy;

  std::vector<NamedPath> outputs() const { return {{html, "-o"}, {json, "--json"}}; }
};

// "fail: <problem>, <first offender>" on one line: the header has no room for more.
std::string failed_verdict(const verify::Findings& findings) {
  for (verify::Problem problem : {verify::Problem::leaked, verify::Problem::lost, verify::Problem::structural}) {
    if (findings.count(problem) == 0) continue;
    std::string offender = findings.first_offender(problem);
    std::string verdict = fmt::format("fail: {} {}", findings.count(problem), to_string(problem));
    if (!offender.empty()) verdict += ", " + offender;
    std::ranges::replace(verdict, '\n', ' ');
    return verdict;
  }
  return "fail";
}

// Verifies INPUT (a spool when it came from stdin) against --original.
std::string verdict(const ReportOptions& options, const std::string& sanitized, TornTail tail,
                    const std::optional<Truncation>& sanitized_torn, const PolicySettings& policy,
                    const AnonSetup& anon) {
  if (options.original.empty()) return "not run: no original given (--original)";
  // The verifier refuses a sanitized file cut short (exit 3); the report pass
  // read it up to its torn record, so the report is there to say it failed.
  if (sanitized_torn) return fmt::format("fail: the sanitized file is cut short at byte {}", sanitized_torn->offset);
  verify::VerifyResult result = verify::verify_captures({.original = options.original,
                                                         .sanitized = sanitized,
                                                         .tshark = options.engine == "tshark",
                                                         .tshark_binary = options.tshark,
                                                         .max_report = 1,
                                                         .torn_tail = tail,
                                                         .policy = policy,
                                                         .anon = anon});
  warn_if_truncated(options.original, result.findings.original_truncation);
  return result.findings.ok() ? "pass" : failed_verdict(result.findings);
}

void run_report(const ReportOptions& options) {
  PolicySettings policy = options.policy.resolve().settings;
  // With --original the input is already sanitized: the anonymization options
  // say how it was made, for the verifier, and the report pass must not map
  // its addresses a second time (so the header names no anonymization).
  bool sanitized_input = !options.original.empty();
  AnonSetup made_with =
      sanitized_input ? verifying_anon(options.policy, policy.profile) : masking_anon(options.policy, policy.profile);
  AnonSetup anon = sanitized_input ? AnonSetup{} : made_with;
  check_paths({{options.input, "the input"}, {options.original, "--original"}}, options.outputs());
  InputSpool input(options.input);
  TornTail tail = torn_tail(options.strict_input);
  KeepRuleSet rules = mark_capture({.input = input.input(),
                                    .engine = parse_engine(options.engine),
                                    .tshark = options.tshark,
                                    .progress = !options.no_progress,
                                    .torn_tail = tail,
                                    .policy = policy});
  report::ReportCollector collector(
      rules, policy, anon, report_header(options.input, policy, options.original.empty() ? "original" : "sanitized"));
  MaskStats masked = mask_capture({.input = input.input(),
                                   .output = "",
                                   .progress = !options.no_progress,
                                   .torn_tail = tail,
                                   .observer = &collector,
                                   .policy = policy,
                                   .anon = anon},
                                  rules);
  warn_if_truncated(options.input, masked.truncation);
  report::Report report = collector.finish(masked);
  report.header.verdict = verdict(options, input.path(), tail, masked.truncation, policy, made_with);
  report::write_report(report, options.html, options.json);
}

}  // namespace

void add_report(CLI::App& app, Action& action) {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* command =
      app.add_subcommand("report", "Write an HTML and JSON account of what a capture reveals (docs/report.md)");
  command->footer(
      "Reads the capture once, through the same marker and masker as sanitize,\n"
      "and writes nothing but the report: the servers, addresses, MACs,\n"
      "certificate names and pcapng metadata the output holds, every connection\n"
      "with its TLS/DTLS/QUIC details and records, and a timeline. On an\n"
      "original it shows what sanitizing it with the same options would leave.\n"
      "The HTML page is one file that loads nothing from anywhere.\n\n"
      "Without -o and --json it writes report.html; with --json alone, only the\n"
      "JSON. --original ORIG says the input is a sanitized capture made from ORIG:\n"
      "it is verified against it (tshark's opinion only with --engine tshark) and\n"
      "the verdict goes into the header; the anonymization options then describe\n"
      "how the input was made, and the report does not anonymize it again.\n"
      "The exit status is 0 whatever the verdict: the report is the product; gate\n"
      "on its JSON (header.verdict) instead.\n\n"
      "Examples:\n"
      "  pktmask report trace.pcapng                       # writes report.html\n"
      "  pktmask report trace.pcapng -o trace.html --json trace.json\n"
      "  pktmask report --json - trace.pcap | jq '.identifies.server_names.items[].value'\n"
      "  pktmask report safe.pcapng --original trace.pcapng -o safe.html\n"
      "  pktmask sanitize trace.pcapng -o safe.pcapng --report safe.html   # in the same run");
  command->add_option("input", options->input, "Capture to report on (pcap or pcapng; - for stdin)")->required();
  command->add_option("-o,--output", options->html, "HTML report to write (- for stdout; default: report.html)");
  command->add_option("--json", options->json, "Write the report as JSON to FILE (- for stdout)");
  command->add_option("--original", options->original,
                      "The input is sanitized from ORIG (a file): verify it and put the verdict in the report");
  add_engine_option(*command, options->engine, options->tshark);
  add_strict_input_option(*command, options->strict_input);
  command->add_flag("--no-progress", options->no_progress, "Never draw the progress line on stderr");
  add_policy_options(*command, options->policy, action, WithAnonymization::yes);
  command->callback([options, &action] {
    if (options->html.empty() && options->json.empty()) options->html = "report.html";
    if (options->original == "-") throw CLI::ValidationError("--original", "reads a file, not stdin");
    refuse_shared_stdout(options->outputs());
    action = [options] { run_report(*options); };
  });
}

}  // namespace pktmask::cli

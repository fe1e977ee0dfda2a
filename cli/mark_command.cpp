#include <unistd.h>

#include <chrono>

#include "cli/commands.h"
#include "cli/input_spool.h"
#include "cli/io_helpers.h"
#include "cli/path_clash.h"
#include "cli/policy_options.h"
#include "cli/truncated_input.h"
#include "common/errors.h"
#include "common/output_file.h"

namespace pktmask::cli {

namespace {

struct MarkOptions {
  std::string input;
  std::string output = "-";
  std::string engine = "tshark";
  std::string tshark = "tshark";
  std::string stats;
  std::string state_in;
  std::string state_out;
  bool no_progress = false;
  bool strict_input = false;
  PolicyArguments policy;
};

void run_mark(const MarkOptions& options) {
  auto start = std::chrono::steady_clock::now();
  PolicySettings policy = options.policy.resolve().settings;
  check_paths({{options.input, "the input"}, {options.state_in, "--state-in"}},
              {{options.output, "-o"}, {options.stats, "--stats"}, {options.state_out, "--state-out"}});
  InputSpool input(options.input);
  MarkJob job{.input = input.input(),
              .engine = parse_engine(options.engine),
              .tshark = options.tshark,
              .progress = !options.no_progress,
              .torn_tail = torn_tail(options.strict_input),
              .policy = policy};
  MarkState state_in, state_out;
  if (!options.state_in.empty()) {
    state_in = read_mark_state(options.state_in);
    job.state_in = &state_in;
  }
  if (!options.state_out.empty()) job.state_out = &state_out;
  RunStats run{.input = options.input, .output = options.output, .policy = &policy, .start = start};
  KeepRuleSet rules = mark_and_report(job, options.stats, run);
  warn_if_truncated(options.input, rules.stats.truncation);
  rules.source_path = options.input;
  std::string text;
  write_keep_rules(rules, text);
  OutputFile out(options.output);
  out.write(text);
  out.commit();
  if (!options.state_out.empty()) write_mark_state(options.state_out, state_out);
  run.engine = rules.engine;
  run.mark = &rules.stats;
  if (!options.stats.empty()) write_stats(options.stats, stats_json(run));
}

}  // namespace

void add_mark(CLI::App& app, Action& action) {
  auto options = std::make_shared<MarkOptions>();
  CLI::App* command = app.add_subcommand("mark", "Dissect a capture and write its KeepRuleSet (JSON)");
  command->footer(
      "The KeepRuleSet lists, per TCP connection direction, the byte ranges the\n"
      "masker keeps: every TLS record header and the bodies of handshake, alert,\n"
      "change-cipher-spec and heartbeat records. See docs/keep-rules.md.\n\n"
      "Examples:\n"
      "  pktmask mark in.pcap -o in.rules.json\n"
      "  pktmask mark in.pcap | pktmask mask -o out.pcap\n"
      "  pktmask mark --engine native part1.pcap --state-out s1.json | pktmask mask -o safe1.pcap\n"
      "  pktmask mark --engine native part2.pcap --state-in s1.json --state-out s2.json |\n"
      "      pktmask mask -o safe2.pcap");
  command->add_option("input", options->input, "Capture to dissect (pcap or pcapng; - for stdin)")->required();
  command->add_option("-o,--output", options->output, "Where to write the rules (- for stdout)")->capture_default_str();
  add_engine_option(*command, options->engine, options->tshark);
  command->add_option("--stats", options->stats, "Write statistics as JSON to FILE (- for stdout)");
  command->add_option("--state-in", options->state_in,
                      "Continue from the state a previous segment of the same capture ended with (engine native)");
  command->add_option("--state-out", options->state_out,
                      "Save each direction's walk state for the next segment (engine native)");
  add_strict_input_option(*command, options->strict_input);
  command->add_flag("--no-progress", options->no_progress, "Never draw the progress line on stderr");
  add_policy_options(*command, options->policy, action);
  command->callback([options, &action] {
    if ((!options->state_in.empty() || !options->state_out.empty()) && options->engine != "native")
      throw CLI::ValidationError("--state-in/--state-out", "need --engine native (tshark cannot carry its state)");
    if (options->stats == "-" && options->output == "-")
      throw CLI::ValidationError("--stats", "cannot share stdout with the rules; give -o FILE or --stats FILE");
    action = [options] { run_mark(*options); };
  });
}

}  // namespace pktmask::cli

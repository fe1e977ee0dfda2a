#include <algorithm>
#include <chrono>
#include <optional>

#include "cli/anon_options.h"
#include "cli/batch.h"
#include "cli/commands.h"
#include "cli/input_spool.h"
#include "cli/io_helpers.h"
#include "cli/own_report.h"
#include "cli/path_clash.h"
#include "cli/policy_options.h"
#include "cli/truncated_input.h"
#include "common/errors.h"
#include "common/output_file.h"
#include "masker/masker.h"
#include "verifier/self_check.h"

namespace pktmask::cli {

namespace {

struct SanitizeOptions {
  std::vector<std::string> inputs;
  std::string output;
  std::string output_dir;
  unsigned jobs = 1;
  bool recursive = false;
  std::string engine = "tshark";
  std::string tshark = "tshark";
  std::string stats;
  std::string keep_rules;
  bool no_progress = false;
  bool no_self_check = false;
  bool strict_input = false;
  OwnReportPaths report;
  PolicyArguments policy;

  std::vector<NamedPath> outputs() const {
    std::vector<NamedPath> named{{output, "-o"}, {stats, "--stats"}, {keep_rules, "--keep-rules"}};
    for (const NamedPath& path : report.named()) named.push_back(path);
    return named;
  }
};

void run_sanitize(const SanitizeOptions& options) {
  auto start = std::chrono::steady_clock::now();
  PolicySettings policy = options.policy.resolve().settings;
  AnonSetup anon = masking_anon(options.policy, policy.profile);
  const std::string& input_name = options.inputs.front();
  check_paths({{input_name, "the input"}}, options.outputs());
  InputSpool input(input_name);
  TornTail tail = torn_tail(options.strict_input);
  // Walks the original on a thread of its own while the marker works.
  MarkJob job{.input = input.input(),
              .engine = parse_engine(options.engine),
              .tshark = options.tshark,
              .progress = !options.no_progress,
              .torn_tail = tail,
              .policy = policy};
  std::optional<verify::SelfCheck> check;
  if (!options.no_self_check) check.emplace(input.path(), options.output, tail, policy, anon);
  RunStats run{.input = input_name, .output = options.output, .policy = &policy, .anon = &anon, .start = start};
  KeepRuleSet rules = mark_and_report(job, options.stats, run);
  rules.source_path = input_name;
  if (!options.keep_rules.empty()) {
    std::string text;
    write_keep_rules(rules, text);
    OutputFile out(options.keep_rules);
    out.write(text);
    out.commit();
  }
  OwnReport report(options.report, input_name, rules, policy, anon);
  MaskStats masked = mask_capture({.input = input.input(),
                                   .output = options.output,
                                   .progress = !options.no_progress,
                                   .torn_tail = tail,
                                   .check = check ? &*check : nullptr,
                                   .observer = report.observer(),
                                   .policy = policy,
                                   .anon = anon},
                                  rules);
  warn_if_truncated(input_name, masked.truncation);
  verify::SelfCheckStats self_check = check ? check->stats() : verify::SelfCheckStats{};
  report.write(masked, self_check, options.no_self_check);
  if (options.stats.empty()) return;
  run.engine = rules.engine;
  run.mark = &rules.stats;
  run.mask = &masked;
  run.self_check = &self_check;
  write_stats(options.stats, stats_json(run));
}

BatchOptions batch_options(const SanitizeOptions& options) {
  PolicySettings policy = options.policy.resolve().settings;
  AnonSetup anon = masking_anon(options.policy, policy.profile);
  return {options.inputs,         options.output_dir,   options.jobs,  options.recursive,
          options.engine,         options.tshark,       options.stats, !options.no_progress,
          !options.no_self_check, options.strict_input, policy,        anon.settings};
}

}  // namespace

void add_sanitize(CLI::App& app, Action& action) {
  auto options = std::make_shared<SanitizeOptions>();
  CLI::App* command = app.add_subcommand("sanitize", "Mark and mask in one command: the usual way to use pktmask");
  command->footer(
      "Equivalent to 'pktmask mark IN | pktmask mask -o OUT', without the\n"
      "intermediate rules. The output is written to a temporary file and renamed\n"
      "into place only when it is complete.\n\n"
      "Examples:\n"
      "  pktmask sanitize trace.pcapng -o trace.safe.pcapng\n"
      "  pktmask sanitize --engine native big.pcap -o big.safe.pcap --stats -\n"
      "  pktmask sanitize --anonymize ip,mac --key site.key trace.pcap -o trace.anon.pcap\n"
      "  pktmask sanitize trace.pcapng -o trace.safe.pcapng --report trace.safe.html\n\n"
      "--report (and --report-json) write the report of the output (docs/report.md),\n"
      "once the output is in place; not in batch mode.\n\n"
      "--anonymize rewrites addresses with the keyed, prefix-preserving mapping of\n"
      "--key FILE (32 bytes, mode 0600, created if missing: keep it secret and\n"
      "backed up). The strict profile implies --anonymize ip,mac and so needs --key.\n\n"
      "Input compressed with gzip or zstd is read as it is; output is never compressed.\n"
      "A capture whose last record is cut short is sanitized without that record\n"
      "(a warning says where; --strict-input refuses it instead, exit 3).\n\n"
      "Batch mode: several captures or directories (their *.pcap, *.pcapng, *.cap,\n"
      "also as .gz or .zst; -R for subdirectories) into OUTDIR under the same\n"
      "relative names less any .gz/.zst suffix, -j N files at a time, each in its\n"
      "own pktmask process, all with the same settings and key. Exit 8 if some failed.\n"
      "  pktmask sanitize --engine native -R captures/ -O safe/ -j 0 --stats summary.json");
  command->add_option("input", options->inputs, "Captures to sanitize (pcap or pcapng; - for stdin), or directories")
      ->required();
  CLI::Option* output =
      command->add_option("-o,--output", options->output, "Sanitized capture to write (- for stdout)");
  CLI::Option* output_dir =
      command->add_option("-O,--output-dir", options->output_dir, "Batch mode: write each sanitized capture here")
          ->excludes(output);
  command->add_option("-j,--jobs", options->jobs, "Batch mode: files sanitized at a time (0: one per CPU)")
      ->needs(output_dir)
      ->capture_default_str();
  command->add_flag("-R,--recursive", options->recursive, "Batch mode: also take captures in subdirectories")
      ->needs(output_dir);
  add_engine_option(*command, options->engine, options->tshark);
  command->add_option("--stats", options->stats,
                      "Write statistics as JSON to FILE (- for stdout); in batch mode one summary of all files");
  command->add_option("--keep-rules", options->keep_rules, "Also save the KeepRuleSet to FILE")->excludes(output_dir);
  add_strict_input_option(*command, options->strict_input);
  command->add_flag("--no-progress", options->no_progress, "Never draw the progress line on stderr");
  add_self_check_option(*command, options->no_self_check);
  add_own_report_options(*command, options->report);
  add_policy_options(*command, options->policy, action, WithAnonymization::yes);
  command->callback([options, &action] {
    if (!options->output_dir.empty()) {
      if (std::ranges::count(options->inputs, "-") > 0)
        throw CLI::ValidationError("input", "- (stdin) needs the single-file form, -o OUT");
      if (options->report.wanted())
        throw CLI::ValidationError("--report", "is of one output: use the single-file form, -o OUT");
      action = [options] { run_batch(batch_options(*options)); };
      return;
    }
    if (needs_batch(options->inputs))
      throw CLI::ValidationError("-O", "several inputs or a directory need -O OUTDIR (batch mode)");
    if (options->output.empty()) throw CLI::RequiredError("--output");
    refuse_shared_stdout(options->outputs());
    action = [options] { run_sanitize(*options); };
  });
}

}  // namespace pktmask::cli

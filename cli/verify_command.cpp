#include <cstdio>

#include <fmt/format.h>

#include "cli/anon_options.h"
#include "cli/commands.h"
#include "cli/policy_options.h"
#include "cli/truncated_input.h"
#include "cli/verify_bulk.h"
#include "verifier/verify.h"

namespace pktmask::cli {

namespace {

struct VerifyOptions {
  std::string original;
  std::string sanitized;
  bool json = false;
  bool no_tshark = false;
  std::string tshark = "tshark";
  size_t max_report = 10;
  bool strict_input = false;
  bool recursive = false;    // bulk form only
  unsigned jobs = 1;         // bulk form only
  bool no_progress = false;  // bulk form only
  PolicyArguments policy;
};

BulkVerifyOptions bulk_options(const VerifyOptions& options) {
  PolicySettings policy = options.policy.resolve().settings;
  return {options.original,
          options.sanitized,
          options.recursive,
          options.jobs,
          options.json,
          !options.no_tshark,
          options.tshark,
          options.max_report,
          options.strict_input,
          !options.no_progress,
          policy,
          verifying_anon(options.policy, policy.profile).settings};
}

void run_verify(const VerifyOptions& options) {
  PolicySettings policy = options.policy.resolve().settings;
  verify::VerifyResult result = verify::verify_captures(
      {options.original, options.sanitized, !options.no_tshark, options.tshark, options.max_report,
       torn_tail(options.strict_input), policy, verifying_anon(options.policy, policy.profile)});
  const verify::Findings& findings = result.findings;
  warn_if_truncated(options.original, findings.original_truncation);
  fmt::print("{}", options.json ? result.to_json().dump() + "\n" : findings.to_text());
  std::fflush(stdout);
  if (!findings.ok())
    throw Error(verify::kVerificationFailed,
                fmt::format("{}: verification failed: {} leaked, {} lost, {} structural", options.sanitized,
                            findings.count(verify::Problem::leaked), findings.count(verify::Problem::lost),
                            findings.count(verify::Problem::structural)));
}

}  // namespace

void add_verify(CLI::App& app, Action& action) {
  auto options = std::make_shared<VerifyOptions>();
  CLI::App* command = app.add_subcommand("verify", "Check a sanitized capture against its original before sharing it");
  command->footer(
      "Walks the original's TLS records on its own (no marker code) and checks\n"
      "every byte of SANITIZED: payload bytes the policy masks must be zero\n"
      "(leaked), bytes it keeps must equal the original (lost), and nothing else\n"
      "may change except TCP checksums that still verify (structural). tshark\n"
      "gives a second opinion on application data. Exit 0 when all three counts\n"
      "are zero, 7 when any is not.\n\n"
      "Give it the anonymization options the output was made with: with --key\n"
      "(which must exist) each header address must be the mapped one; without it,\n"
      "no original address may appear anywhere in the output's packet bytes.\n\n"
      "Examples:\n"
      "  pktmask verify trace.pcapng trace.safe.pcapng\n"
      "  pktmask verify --json --no-tshark in.pcap out.pcap | jq .leaked\n\n"
      "Bulk form: two directories, paired as 'sanitize -O' named the outputs (the\n"
      "same relative path, less any .gz/.zst suffix; -R for subdirectories), -j N\n"
      "pairs at a time, each in its own pktmask process. One line per failed pair\n"
      "(also a missing output, or a capture in SAN_DIR without an original) and a\n"
      "summary; --json: one object. Exit 7 if any pair failed.\n"
      "  pktmask verify --no-tshark -R -j 0 captures/ safe/");
  command->add_option("original", options->original, "The capture as it was before sanitizing (a file or directory)")
      ->required();
  command->add_option("sanitized", options->sanitized, "The sanitized capture (a file or directory)")->required();
  CLI::Option* recursive =
      command->add_flag("-R,--recursive", options->recursive, "Bulk form: also pair captures in subdirectories");
  CLI::Option* jobs =
      command->add_option("-j,--jobs", options->jobs, "Bulk form: pairs verified at a time (0: one per CPU)")
          ->capture_default_str();
  command->add_flag("--no-progress", options->no_progress,
                    "Bulk form: never draw the progress line on stderr (drawn only on a terminal)");
  command->add_flag("--json", options->json, "Print one JSON object instead of text");
  command->add_flag("--no-tshark", options->no_tshark, "Skip tshark's second opinion");
  add_strict_input_option(*command, options->strict_input);
  command->add_option("--tshark", options->tshark, "tshark binary to run")->capture_default_str();
  command->add_option("--max-report", options->max_report, "List at most N offenders of each kind")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  add_policy_options(*command, options->policy, action, WithAnonymization::yes);
  command->callback([options, &action, recursive, jobs] {
    for (const std::string* path : {&options->original, &options->sanitized})
      if (*path == "-") throw CLI::ValidationError("verify", "reads files, not stdin");
    action = [options, recursive, jobs] {
      if (is_bulk_verify(options->original, options->sanitized)) return run_bulk_verify(bulk_options(*options));
      if (recursive->count() > 0 || jobs->count() > 0)
        throw Error(ExitCode::usage, "-R and -j are for the bulk form: give two directories");
      run_verify(*options);
    };
  });
}

}  // namespace pktmask::cli

#include <chrono>

#include "commands.h"
#include "errors.h"
#include "io_helpers.h"
#include "masker.h"
#include "output_file.h"

namespace pktmask::cli {

namespace {

struct SanitizeOptions {
  std::string input;
  std::string output;
  std::string engine = "tshark";
  std::string tshark = "tshark";
  std::string stats;
  std::string keep_rules;
  bool no_progress = false;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void run_sanitize(const SanitizeOptions& options) {
  auto start = std::chrono::steady_clock::now();
  StdinSpool input(options.input);
  KeepRuleSet rules = mark_and_report({input.path(), parse_engine(options.engine), options.tshark, !options.no_progress});
  double mark_seconds = seconds_since(start);
  if (!options.keep_rules.empty()) {
    std::string text;
    write_keep_rules(rules, text);
    OutputFile out(options.keep_rules);
    out.write(text);
    out.commit();
  }
  auto mask_start = std::chrono::steady_clock::now();
  nlohmann::json masked = mask_capture({input.path(), options.output, !options.no_progress}, rules);
  if (options.stats.empty()) return;
  nlohmann::json stats = masked;
  stats["input"] = options.input;
  stats["output"] = options.output;
  stats["engine"] = rules.engine;
  for (const char* key : {"flows", "records_by_type", "rules"}) stats[key] = rules.stats[key];
  const auto& decode = masked["decode"];
  stats["undecoded_packets"] = decode["truncated"].get<uint64_t>() + decode["invalid"].get<uint64_t>() +
                               decode["unsupported"].get<uint64_t>();
  stats["seconds"] = {{"mark", mark_seconds}, {"mask", seconds_since(mask_start)}, {"total", seconds_since(start)}};
  write_stats(options.stats, stats);
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
      "  pktmask sanitize --engine native big.pcap -o big.safe.pcap --stats -");
  command->add_option("input", options->input, "Capture to sanitize (pcap or pcapng; - for stdin)")->required();
  command->add_option("-o,--output", options->output, "Sanitized capture to write (- for stdout)")->required();
  add_engine_option(*command, options->engine, options->tshark);
  command->add_option("--stats", options->stats, "Write statistics as JSON to FILE (- for stdout)");
  command->add_option("--keep-rules", options->keep_rules, "Also save the KeepRuleSet to FILE");
  command->add_flag("--no-progress", options->no_progress, "Never draw the progress line on stderr");
  command->callback([options, &action] {
    if (options->stats == "-" && options->output == "-")
      throw CLI::ValidationError("--stats", "cannot share stdout with the capture");
    action = [options] { run_sanitize(*options); };
  });
}

}  // namespace pktmask::cli

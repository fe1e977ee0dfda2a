#include "cli/io_helpers.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/errors.h"
#include "common/output_file.h"

namespace pktmask::cli {

std::string read_text(const std::string& path, int exit_code) {
  std::ostringstream text;
  if (path == "-") {
    text << std::cin.rdbuf();
    return text.str();
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(static_cast<ExitCode>(exit_code), fmt::format("{}: cannot open", path));
  text << file.rdbuf();
  return text.str();
}

void write_stats(const std::string& path, const nlohmann::json& stats) {
  OutputFile out(path);
  out.write(stats.dump(2) + "\n");
  out.commit();
}

Engine parse_engine(const std::string& name) {
  return name == "native" ? Engine::native : name == "both" ? Engine::both : Engine::tshark;
}

KeepRuleSet mark_and_report(const MarkJob& job, const std::string& stats_path, RunStats run) {
  KeepRuleSet rules = mark_capture(job);
  uint64_t differences = rules.stats.engine_differences.value_or(0);
  if (differences == 0) return rules;
  for (const std::string& line : rules.stats.engine_differences_listed)
    fmt::print(stderr, "pktmask: {}: engines differ: {}\n", job.input.shown(), line);
  // The statistics are what the user needs to see how far apart the engines are.
  run.engine = rules.engine;
  run.mark = &rules.stats;
  if (!stats_path.empty()) write_stats(stats_path, stats_json(run));
  throw Error(ExitCode::engines_differ,
              fmt::format("{}: {} difference(s) between the engines; nothing written", job.input.shown(), differences));
}

void add_engine_option(CLI::App& command, std::string& engine, std::string& tshark) {
  command
      .add_option("--engine", engine,
                  "Marker engine: tshark (Wireshark's dissector), native (built in, far faster), or both "
                  "(runs the two; a byte they disagree on is listed on stderr and fails the run with exit 9)")
      ->check(CLI::IsMember({"tshark", "native", "both"}))
      ->capture_default_str();
  command.add_option("--tshark", tshark, "tshark binary to run (engine tshark)")->capture_default_str();
}

void add_self_check_option(CLI::App& command, bool& no_self_check, std::string_view on_leak) {
  command.add_flag("--no-self-check", no_self_check,
                   fmt::format("Publish the output without first checking it, byte for byte, against an independent "
                               "walk of the policy ({}). Saves about a tenth of the run time; a masking bug would then "
                               "reach the output unnoticed",
                               on_leak));
}

}  // namespace pktmask::cli

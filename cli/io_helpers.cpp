#include "io_helpers.h"

#include <fstream>
#include <iostream>
#include <sstream>

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "errors.h"
#include "output_file.h"

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

KeepRuleSet mark_and_report(const MarkJob& job) {
  KeepRuleSet rules = mark_capture(job);
  uint64_t differences = rules.stats.value("engine_differences", uint64_t{0});
  if (differences == 0) return rules;
  for (const auto& line : rules.stats["engine_differences_listed"])
    fmt::print(stderr, "pktmask: {}: engines differ: {}\n", job.shown(), line.get<std::string>());
  fmt::print(stderr, "pktmask: {}: {} difference(s) between the engines; the native rules are used\n", job.shown(),
             differences);
  return rules;
}

void add_engine_option(CLI::App& command, std::string& engine, std::string& tshark) {
  command
      .add_option("--engine", engine,
                  "Marker engine: tshark (Wireshark's dissector), native (built in, far faster), or both "
                  "(runs the two, keeps native's rules, reports every difference on stderr)")
      ->check(CLI::IsMember({"tshark", "native", "both"}))
      ->capture_default_str();
  command.add_option("--tshark", tshark, "tshark binary to run (engine tshark)")->capture_default_str();
}

}  // namespace pktmask::cli

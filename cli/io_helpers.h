#pragma once
// Small pieces the subcommands share: reading a whole text input, writing
// statistics, running the marker.

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "cli/stats_json.h"
#include "marker/marker.h"

namespace pktmask::cli {

// Reads a file, or stdin for "-"; throws Error(code) naming it.
std::string read_text(const std::string& path, int exit_code);
// Writes `stats` as pretty JSON to a file (atomically) or "-" (stdout).
void write_stats(const std::string& path, const nlohmann::json& stats);
Engine parse_engine(const std::string& name);
// Runs the marker. With --engine both, a difference is a failure: each one is
// printed on stderr, the marker's statistics (`run` with the marker's part)
// go to `stats_path` (if given), and Error(engines_differ) is thrown before
// any output is written.
KeepRuleSet mark_and_report(const MarkJob& job, const std::string& stats_path, RunStats run);
// The --no-self-check flag of the commands that publish a sanitized capture;
// `on_leak` says what a failed check does in that command.
void add_self_check_option(CLI::App& command, bool& no_self_check,
                           std::string_view on_leak = "exit 7 and no output when it leaks");
// Adds the options every subcommand shares.
void add_engine_option(CLI::App& command, std::string& engine, std::string& tshark);

}  // namespace pktmask::cli

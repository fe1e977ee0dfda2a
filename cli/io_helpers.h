#pragma once
// Small pieces the subcommands share: reading a whole text input, writing
// statistics, running the marker.

#include <string>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "marker.h"

namespace pktmask::cli {

// Reads a file, or stdin for "-"; throws Error(code) naming it.
std::string read_text(const std::string& path, int exit_code);
// Writes `stats` as pretty JSON to a file (atomically) or "-" (stdout).
void write_stats(const std::string& path, const nlohmann::json& stats);
Engine parse_engine(const std::string& name);
// Runs the marker; with --engine both, prints every difference on stderr.
KeepRuleSet mark_and_report(const MarkJob& job);
// Adds the options every subcommand shares.
void add_engine_option(CLI::App& command, std::string& engine, std::string& tshark);

}  // namespace pktmask::cli

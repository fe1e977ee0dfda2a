#pragma once
// The subcommands. Each registers its options on the parser and returns the
// action to run once parsing succeeded.

#include <functional>

#include <CLI/CLI.hpp>

namespace pktmask::cli {

using Action = std::function<void()>;

void add_mark(CLI::App& app, Action& action);
void add_mask(CLI::App& app, Action& action);
void add_sanitize(CLI::App& app, Action& action);
void add_verify(CLI::App& app, Action& action);
void add_capture(CLI::App& app, Action& action);
void add_anon(CLI::App& app, Action& action);
void add_report(CLI::App& app, Action& action);
// Reads every command registered before it runs: the script covers them all.
void add_completion(CLI::App& app, Action& action);

}  // namespace pktmask::cli

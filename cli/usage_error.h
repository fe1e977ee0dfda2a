#pragma once
// What a usage error (exit 2) prints: one line saying what is wrong, then
// where to read the usage of the command at hand:
//   pktmask: unknown command 'sanitze'; did you mean 'sanitize'?
//   Run 'pktmask --help' for usage.

#include <span>
#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace pktmask::cli {

// CLI11's message, except when the first word after `pktmask` names no
// subcommand: then that word, and the subcommand it is a likely typo of.
// `arguments` are argv without the program name.
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& error,
                                std::span<const char* const> arguments);

// Prints the message and the help hint of the subcommand that was named
// (`pktmask sanitize --help`), or of pktmask itself.
void print_usage_error(const CLI::App& app, std::string_view message);

}  // namespace pktmask::cli

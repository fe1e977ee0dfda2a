#pragma once
// What shell completion needs to know of the command line, read from the
// CLI11 definition itself so that completion can never offer an option the
// parser lacks or miss one it has.

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace pktmask::cli {

// `word` is a value of the option's own syntax (a LIST, PORTS): nothing to offer.
enum class ValueKind { none, file, number, choice, word };

struct CompletedOption {
  std::vector<std::string> names;  // "-o", "--output"
  std::string help;                // its first line
  ValueKind value = ValueKind::none;
  std::vector<std::string> choices;  // for ValueKind::choice
  bool repeatable = false;
};

struct CompletedCommand {
  std::string name;
  std::string help;
  std::vector<CompletedOption> options;
};

struct CompletionModel {
  std::string program;
  std::vector<CompletedOption> options;  // before a subcommand
  std::vector<CompletedCommand> commands;
};

CompletionModel completion_model(const CLI::App& app);

// The scripts: bash's for `complete -F`, zsh's an autoloaded `_pktmask`.
std::string bash_completion(const CompletionModel& model);
std::string zsh_completion(const CompletionModel& model);

}  // namespace pktmask::cli

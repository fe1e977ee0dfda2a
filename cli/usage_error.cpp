#include "cli/usage_error.h"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/suggest.h"

namespace pktmask::cli {

namespace {

std::vector<std::string> command_names(const CLI::App& app) {
  std::vector<std::string> names;
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; }))
    names.push_back(command->get_name());
  return names;
}

}  // namespace

std::string parse_error_message(const CLI::App& app, const CLI::ParseError& error,
                                std::span<const char* const> arguments) {
  if (!app.get_subcommands().empty()) return error.what();
  // pktmask itself takes flags only, so its first other argument is meant as a command.
  auto word = std::ranges::find_if(arguments, [](std::string_view argument) { return !argument.starts_with('-'); });
  if (word == arguments.end()) return error.what();
  std::vector<std::string> names = command_names(app);
  if (std::ranges::count(names, *word) > 0) return error.what();
  std::string message = fmt::format("unknown command '{}'", *word);
  if (auto meant = suggest(*word, names)) return fmt::format("{}; did you mean '{}'?", message, *meant);
  return fmt::format("{} (commands: {})", message, fmt::join(names, ", "));
}

void print_usage_error(const CLI::App& app, std::string_view message) {
  std::vector<CLI::App*> named = app.get_subcommands();
  std::string command = named.empty() ? "pktmask" : fmt::format("pktmask {}", named.front()->get_name());
  fmt::print(stderr, "pktmask: {}\nRun '{} --help' for usage.\n", message, command);
}

}  // namespace pktmask::cli

#include "cli/completion_model.h"

#include <algorithm>
#include <regex>

#include "common/policy_setting.h"

namespace pktmask::cli {

namespace {

std::string first_line(const std::string& text) { return text.substr(0, text.find('\n')); }

// CLI11 names an option's value in its type name: "TEXT:{tshark,native,both}"
// for a set of members, "UINT" for a number; the policy options name their
// values themselves ("full|anonymous|headers").
void read_value(const CLI::Option& option, CompletedOption& completed) {
  if (option.get_expected_max() == 0) return;  // a flag
  std::string type = option.get_type_name();
  static const std::regex kMembers(R"(:\{([^}]*)\})");
  static const std::regex kAlternatives(R"([a-z0-9-]+(\|[a-z0-9-]+)+)");
  static const std::regex kNumber(R"((UINT|INT|FLOAT|NUMBER)\b.*)");
  static const std::regex kPath(R"((TEXT|FILE)\b.*)");
  std::smatch match;
  if (std::regex_search(type, match, kMembers)) {
    completed.value = ValueKind::choice;
    completed.choices = split_list(match[1].str());
  } else if (std::regex_match(type, kAlternatives)) {
    completed.value = ValueKind::choice;
    std::ranges::replace(type, '|', ',');
    completed.choices = split_list(type);
  } else {
    completed.value = std::regex_match(type, kNumber) ? ValueKind::number
                      : std::regex_match(type, kPath) ? ValueKind::file
                                                      : ValueKind::word;
  }
}

std::vector<CompletedOption> options_of(const CLI::App& app) {
  std::vector<CompletedOption> options;
  for (const CLI::Option* option : app.get_options()) {
    if (!option->nonpositional() || option->get_group().empty()) continue;  // positionals, hidden options
    CompletedOption completed;
    for (const std::string& name : option->get_snames()) completed.names.push_back("-" + name);
    for (const std::string& name : option->get_lnames()) completed.names.push_back("--" + name);
    completed.help = first_line(option->get_description());
    read_value(*option, completed);
    completed.repeatable = option->get_expected_max() > 1;
    options.push_back(std::move(completed));
  }
  return options;
}

}  // namespace

CompletionModel completion_model(const CLI::App& app) {
  CompletionModel model{app.get_name(), options_of(app), {}};
  for (const CLI::App* command : app.get_subcommands([](const CLI::App*) { return true; }))
    model.commands.push_back({command->get_name(), first_line(command->get_description()), options_of(*command)});
  return model;
}

}  // namespace pktmask::cli

#include "cli/truncated_input.h"

#include <fmt/format.h>

namespace pktmask::cli {

void add_strict_input_option(CLI::App& command, bool& strict) {
  command.add_flag("--strict-input", strict,
                   "Refuse a capture whose last record is cut short (exit 3) instead of leaving that record out");
}

void warn_if_truncated(const std::string& input, const std::optional<Truncation>& truncation) {
  if (auto warning = truncation_warning(input == "-" ? "<stdin>" : input, truncation))
    fmt::print(stderr, "{}\n", *warning);
}

}  // namespace pktmask::cli

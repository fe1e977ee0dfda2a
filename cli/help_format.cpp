#include "cli/help_format.h"

#include <algorithm>
#include <memory>
#include <sstream>

namespace pktmask::cli {

namespace {

// Width of the column of option names and value hints (CLI11's default);
// descriptions start after it, or on the next line below a longer name.
constexpr size_t kNameColumn = 30;

class WrappingFormatter : public CLI::Formatter {
 public:
  WrappingFormatter() { column_width(kNameColumn); }

  std::string make_option_desc(const CLI::Option* option) const override {
    return wrap(CLI::Formatter::make_option_desc(option));
  }

  std::string make_description(const CLI::App* app) const override {
    return wrap_words(CLI::Formatter::make_description(app), kHelpWidth);
  }

  std::string make_subcommand(const CLI::App* command) const override {
    std::ostringstream out;
    // The name-and-description layout CLI11's own make_subcommand uses.
    CLI::detail::format_help(out, command->get_display_name(true), wrap(command->get_description()),
                             get_column_width());
    return out.str();
  }

 private:
  std::string wrap(std::string_view description) const {
    return wrap_words(description, kHelpWidth - get_column_width());
  }
};

}  // namespace

std::string wrap_words(std::string_view text, size_t width) {
  std::string out;
  size_t line_length = 0;
  size_t at = 0;
  while (at < text.size()) {
    if (text[at] == '\n' || text[at] == ' ') {
      if (text[at] == '\n') {
        out += '\n';
        line_length = 0;
      }
      ++at;
      continue;
    }
    size_t end = std::min(text.find_first_of(" \n", at), text.size());
    size_t word = end - at;
    if (line_length > 0 && line_length + 1 + word > width) {
      out += '\n';
      line_length = 0;
    } else if (line_length > 0) {
      out += ' ';
      ++line_length;
    }
    out += text.substr(at, word);
    line_length += word;
    at = end;
  }
  return out;
}

void use_help_format(CLI::App& app) { app.formatter(std::make_shared<WrappingFormatter>()); }

}  // namespace pktmask::cli

#include <catch2/catch.hpp>

#include <sstream>
#include <string>

#include "cli/help_format.h"

using pktmask::cli::kHelpWidth;
using pktmask::cli::wrap_words;

namespace {

size_t longest_line(const std::string& text) {
  std::istringstream lines(text);
  size_t longest = 0;
  for (std::string line; std::getline(lines, line);) longest = std::max(longest, line.size());
  return longest;
}

}  // namespace

TEST_CASE("wrap_words breaks at spaces into lines no wider than asked") {
  CHECK(wrap_words("one two three four", 9) == "one two\nthree\nfour");
  CHECK(wrap_words("one two three four", 100) == "one two three four");
  CHECK(wrap_words("exactly nine", 12) == "exactly nine");
  CHECK(wrap_words("exactly nine", 11) == "exactly\nnine");
}

TEST_CASE("wrap_words keeps line breaks, gives a long word its own line, squeezes spaces") {
  CHECK(wrap_words("first\nsecond line", 6) == "first\nsecond\nline");
  CHECK(wrap_words("a supercalifragilistic b", 5) == "a\nsupercalifragilistic\nb");
  CHECK(wrap_words("  a   b  ", 10) == "a b");
  CHECK(wrap_words("", 10).empty());
}

TEST_CASE("every line of a subcommand's help fits kHelpWidth columns") {
  CLI::App app;
  pktmask::cli::use_help_format(app);
  CLI::App* command = app.add_subcommand(
      "long",
      "A subcommand description far longer than one line of a terminal can hold, so it must be wrapped "
      "by the formatter rather than run off the edge of the screen");
  std::string value;
  command->add_option("--a-rather-long-option-name-indeed", value,
                      "An option description that is also longer than the space beside the option names, and "
                      "then some more words so that it needs at least three lines of its own to fit");
  CHECK(longest_line(app.help()) <= kHelpWidth);
  CHECK(longest_line(command->help()) <= kHelpWidth);
  CHECK(command->help().find("--a-rather-long-option-name-indeed") != std::string::npos);
  CHECK(command->help().find("screen") != std::string::npos);
}

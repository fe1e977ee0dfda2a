#pragma once
// The layout of every --help: CLI11's, with the descriptions of commands and
// options word-wrapped so that no line is wider than kHelpWidth columns.
// Footers are laid out by hand (examples keep their indentation);
// tests/e2e/cli_usage.sh checks every command's help, footers included.

#include <string>
#include <string_view>

#include <CLI/CLI.hpp>

namespace pktmask::cli {

constexpr size_t kHelpWidth = 100;

// Breaks every line of `text` at spaces into lines of at most `width`
// characters; a longer word gets a line of its own. Spaces between words
// become one, spaces around line breaks go.
std::string wrap_words(std::string_view text, size_t width);

// Installs the layout on `app`. Subcommands take their parent's formatter
// when they are added, so call this first.
void use_help_format(CLI::App& app);

}  // namespace pktmask::cli

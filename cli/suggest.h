#pragma once
// "Did you mean ...?" for a mistyped subcommand.

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace pktmask::cli {

// Edits (insert, delete, substitute, swap two neighbours) that turn `a` into
// `b`: the optimal string alignment distance. A swap counts once because it
// is the commonest typo ("makr").
size_t edit_distance(std::string_view a, std::string_view b);

// The candidate closest to `word` if it is a likely typo of it: at most one
// edit per three letters of the candidate (at least one). The first of
// equally close candidates wins.
std::optional<std::string> suggest(std::string_view word, std::span<const std::string> candidates);

}  // namespace pktmask::cli

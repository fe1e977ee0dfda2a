#pragma once
// --strict-input and the warning for a capture whose last record was cut
// short, shared by the subcommands that read captures.

#include <string>

#include <CLI/CLI.hpp>
#include "common/capture_reader.h"
#include "common/truncation.h"

namespace pktmask::cli {

void add_strict_input_option(CLI::App& command, bool& strict);
inline TornTail torn_tail(bool strict_input) { return strict_input ? TornTail::refuse : TornTail::leave_out; }
// One warning line on stderr when `input` was cut short.
void warn_if_truncated(const std::string& input, const std::optional<Truncation>& truncation);

}  // namespace pktmask::cli

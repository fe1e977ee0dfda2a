#pragma once
// Hands the [capture] section of a configuration file (config/capture_config.h)
// to capture's command-line options, under what the command line gave them.

#include <vector>

#include <CLI/CLI.hpp>

#include "config/capture_config.h"

namespace pktmask::cli {

// Each entry goes to its option unless the command line gave that option,
// and is checked and converted by it. An entry for an option `command` does
// not have (one for another part of the capture) is left out. Throws
// Error(bad_config) "FILE:LINE: key: why" when an option refuses a value.
void apply_capture_config(CLI::App& command, const std::vector<CaptureConfigEntry>& entries);

}  // namespace pktmask::cli

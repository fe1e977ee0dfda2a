#pragma once
// capture's options for the cleaner (compression and retention), defined
// once for the command line and for SIGHUP, which reads the configuration
// file's [capture] section into them again. docs/capture.md, "Retention and
// compression".

#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "capture/cleaner_settings.h"

namespace pktmask::cli {

// The options' values as given; cleaner_settings() checks and converts them.
struct CleanerArguments {
  std::string compression;
  int level = 0;  // the format's default
  uint64_t compress_threshold = 0;
  double retain_days = 0;  // 0: off
  uint64_t min_free = 0;   // 0: off
  uint64_t max_disk = 0;   // 0: off
  uint64_t batch = 0;
  uint64_t max_files = 0;  // 0: no limit
  CleanerArguments();      // the defaults of CleanerSettings
};

// Adds the options to `command`; returns them, so that their command-line
// values can be kept for SIGHUP.
std::vector<CLI::Option*> add_cleaner_options(CLI::App& command, CleanerArguments& arguments);

// Throws Error(usage) for a level out of range or a batch of 0.
CleanerSettings cleaner_settings(const CleanerArguments& arguments);

// An option's name and what the command line gave it.
using GivenOption = std::pair<std::string, std::vector<std::string>>;

// SIGHUP: the defaults, under the [capture] section of `config`, under the
// options the command line gave. Throws Error(bad_config) when the file is
// wrong.
CleanerSettings reread_cleaner_settings(const std::string& config, const std::vector<GivenOption>& given);

}  // namespace pktmask::cli

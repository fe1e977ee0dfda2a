#include "cli/cleaner_options.h"

#include <fmt/format.h>

#include "cli/capture_config_options.h"
#include "common/errors.h"
#include "config/capture_config.h"

namespace pktmask::cli {

namespace {

constexpr const char* kGroup = "Retention and compression (docs/capture.md)";

}  // namespace

CleanerArguments::CleanerArguments() {
  const CleanerSettings defaults;
  compression = compression_name(defaults.compression);
  compress_threshold = defaults.compress_threshold;
  retain_days = defaults.retention.retain_days.value_or(0);
  min_free = defaults.retention.min_free.value_or(0);
  max_disk = defaults.retention.max_disk.value_or(0);
  batch = defaults.retention.batch;
  max_files = defaults.retention.max_files;
}

std::vector<CLI::Option*> add_cleaner_options(CLI::App& command, CleanerArguments& arguments) {
  std::vector<CLI::Option*> options = {
      command
          .add_option("--compress", arguments.compression,
                      "Collect finished segments into tar.gz or zip archives, or compress each with gzip or zstd")
          ->check(CLI::IsMember({"tar.gz", "zip", "gzip", "zstd", "none"}))
          ->capture_default_str(),
      command.add_option("--compress-level", arguments.level, "1-9 (zstd 1-19); default 6 (zstd 3)"),
      command
          .add_option("--compress-threshold", arguments.compress_threshold,
                      "Archive the waiting segments once they reach SIZE (and at the end)")
          ->transform(CLI::AsSizeValue(true))
          ->capture_default_str(),
      command
          .add_option("--retain-days", arguments.retain_days,
                      "Delete segments and archives older than N days (0: never)")
          ->check(CLI::NonNegativeNumber)
          ->capture_default_str(),
      command
          .add_option("--disk-threshold,--min-free", arguments.min_free,
                      "Keep SIZE free on the output file system, deleting the oldest (0: no limit)")
          ->transform(CLI::AsSizeValue(true))
          ->capture_default_str(),
      command
          .add_option("--max-disk", arguments.max_disk,
                      "Keep segments and archives under SIZE, deleting the oldest (down to 90%; 0: no limit)")
          ->transform(CLI::AsSizeValue(true)),
      command.add_option("--clean-batch-size", arguments.batch, "Delete at most N files at a time, then look again")
          ->check(CLI::PositiveNumber)
          ->capture_default_str(),
      command
          .add_option("--file-rotate-count", arguments.max_files,
                      "Keep at most N segments and archives, deleting the oldest (0: no limit)")
          ->capture_default_str(),
  };
  for (CLI::Option* option : options) option->group(kGroup);
  return options;
}

CleanerSettings cleaner_settings(const CleanerArguments& arguments) {
  CleanerSettings settings;
  settings.compression = parse_compression(arguments.compression);
  settings.level = check_compression_level(settings.compression, arguments.level);
  settings.compress_threshold = arguments.compress_threshold;
  RetentionPolicy& retention = settings.retention;
  retention.retain_days = arguments.retain_days > 0 ? std::optional(arguments.retain_days) : std::nullopt;
  retention.min_free = arguments.min_free > 0 ? std::optional(arguments.min_free) : std::nullopt;
  retention.max_disk = arguments.max_disk > 0 ? std::optional(arguments.max_disk) : std::nullopt;
  if (arguments.batch == 0) throw Error(ExitCode::usage, "--clean-batch-size: must be at least 1");
  retention.batch = arguments.batch;
  retention.max_files = arguments.max_files;
  return settings;
}

CleanerSettings reread_cleaner_settings(const std::string& config, const std::vector<GivenOption>& given) {
  CLI::App app;
  CleanerArguments arguments;
  add_cleaner_options(app, arguments);
  try {
    for (const auto& [name, results] : given) {
      CLI::Option* option = app.get_option(name);
      for (const std::string& result : results) option->add_result(result);
      option->run_callback();
    }
  } catch (const CLI::Error& e) {
    throw Error(ExitCode::bad_config, e.what());
  }
  apply_capture_config(app, read_capture_config(config).entries);
  try {
    return cleaner_settings(arguments);
  } catch (const Error& e) {
    throw Error(ExitCode::bad_config, fmt::format("{}: {}", config, e.what()));
  }
}

}  // namespace pktmask::cli

#include "cli/capture_config_options.h"

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask::cli {

void apply_capture_config(CLI::App& command, const std::vector<CaptureConfigEntry>& entries) {
  for (const CaptureConfigEntry& entry : entries) {
    CLI::Option* option = command.get_option_no_throw(entry.option);
    if (option == nullptr || option->count() > 0) continue;
    try {
      option->add_result(entry.text);
      option->run_callback();
    } catch (const CLI::Error& e) {
      throw Error(ExitCode::bad_config, fmt::format("{}: {}", entry.where, e.what()));
    }
  }
}

}  // namespace pktmask::cli

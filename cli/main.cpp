// pktmask: make packet captures safe to share. See docs/usage.md.
#include <exception>
#include <string_view>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/help_format.h"
#include "cli/policy_options.h"
#include "cli/usage_error.h"
#include "cli/version_text.h"
#include "common/errors.h"
#include "common/interrupt.h"

namespace {

// `pktmask capture` speaks the capture system's contract, in which a bad
// option, configuration or key is START_INVALID_PARAMS (docs/capture.md).
int exit_status(pktmask::ExitCode code, bool capture) {
  using pktmask::ExitCode;
  if (capture && (code == ExitCode::usage || code == ExitCode::bad_config || code == ExitCode::bad_key))
    return static_cast<int>(ExitCode::start_invalid_params);
  return static_cast<int>(code);
}

}  // namespace

int main(int argc, char** argv) {
  using pktmask::ExitCode;
  const bool capture = argc > 1 && std::string_view(argv[1]) == "capture";
  CLI::App app;
  pktmask::cli::use_help_format(app);
  app.description(
      "pktmask: keep what TLS debugging needs (record headers, handshakes, alerts,\n"
      "timing, all L2-L4 headers) and zero every other TCP payload byte.");
  app.name("pktmask");
  app.set_version_flag("--version", pktmask::cli::version_text,
                       "Print the version, commit, policy version, tshark found and build type; then exit");
  app.require_subcommand(1);
  app.footer(
      "Exit codes: 0 ok, 1 internal error, 2 usage, 3 bad capture, 4 bad rules,\n"
      "5 output failed, 6 tshark failed, 7 verification failed, 8 some batch files failed,\n"
      "9 engines differ (--engine both), 10 bad configuration, 11 bad key, 130 interrupted;\n"
      "capture: 100-105 start failed, 200-205 run failed (docs/capture.md).\n"
      "See docs/usage.md.\n\n"
      "Example:\n"
      "  pktmask sanitize in.pcap -o out.pcap");
  pktmask::cli::Action action;
  pktmask::cli::add_mark(app, action);
  pktmask::cli::add_mask(app, action);
  pktmask::cli::add_sanitize(app, action);
  pktmask::cli::add_verify(app, action);
  pktmask::cli::add_capture(app, action);
  pktmask::cli::add_anon(app, action);
  pktmask::cli::add_report(app, action);
  pktmask::cli::add_completion(app, action);
  try {
    app.parse(argc, argv);
  } catch (const pktmask::cli::ShowConfigRequested&) {
    // The action prints the settings.
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    pktmask::cli::print_usage_error(app, pktmask::cli::parse_error_message(app, e, {argv + 1, argv + argc}));
    return exit_status(ExitCode::usage, capture);
  }
  pktmask::install_interrupt_handlers();
  try {
    action();
    return 0;
  } catch (const pktmask::Error& e) {
    if (e.code() == ExitCode::usage)
      pktmask::cli::print_usage_error(app, e.what());
    else
      fmt::print(stderr, "pktmask: {}\n", e.what());
    return exit_status(e.code(), capture);
  } catch (const std::exception& e) {
    fmt::print(stderr, "pktmask: internal error: {}\n", e.what());
    return static_cast<int>(ExitCode::internal);
  }
}

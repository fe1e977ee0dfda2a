#pragma once
// The masking policy's options, defined once for every command that masks or
// judges (mark, mask, sanitize and its batch mode, capture, verify):
// --profile, one option per setting (--tls, --handshake, --starttls,
// --keep-udp, --metadata, --undecoded, --dtls, --quic), --config FILE and
// --show-config. See docs/usage.md, "PROFILES AND OPTIONS".

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "config/effective_policy.h"

namespace pktmask::cli {

struct PolicyArguments {
  std::string config;                     // --config FILE
  std::vector<PolicyAssignment> options;  // the settings given on the command line
  bool anonymization = false;             // the command takes the anonymization options (anon_options.h)

  // The configuration file's assignments (Error(bad_config) when it is
  // wrong), then the command line's.
  std::vector<PolicyAssignment> assignments() const;

  // Layers profile, file and options.
  EffectivePolicy resolve() const;
  // What --show-config prints.
  std::string show() const;
};

// Thrown by --show-config once every option before it was read: parsing
// stops there (a command's required arguments are not needed) and the action
// it chose prints the effective settings.
struct ShowConfigRequested {};

// Whether a command also takes the address anonymization options
// (anon_options.h): those that mask, and verify; not mark.
enum class WithAnonymization : bool { no, yes };

void add_policy_options(CLI::App& command, PolicyArguments& arguments, Action& action,
                        WithAnonymization anonymization = WithAnonymization::no);

// The options that give a child pktmask exactly `settings` (batch mode).
std::vector<std::string> policy_arguments(const PolicySettings& settings);

}  // namespace pktmask::cli

#pragma once
// The address anonymization options, defined once for every command that
// masks (mask, sanitize and its batch mode, capture) and for verify:
// --anonymize, --key, --anon-keep, --anon-preserve. They layer as the policy's
// options do (profile, then --config FILE, then options) but stay out of the
// policy and its settings hash: marking never depends on them, so `mark` does
// not take them. See docs/usage.md, "ADDRESS ANONYMIZATION".

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "cli/policy_options.h"
#include "common/anon/anon_setup.h"

namespace pktmask::cli {

// Adds the options to `command`; their values join the policy's assignments,
// and --show-config lists them. add_policy_options calls it, before adding
// --show-config, whose callback must run after theirs.
void add_anon_options(CLI::App& command, PolicyArguments& arguments);

// The effective settings under `profile`, without a key.
AnonSettings resolve_anon_settings(const PolicyArguments& arguments, Profile profile);

// What a masking command runs with: the settings, checked (anonymizing needs
// --key: Error(usage)), and the key, created if missing (Error(bad_key)).
// Called once, before any output is created.
AnonSetup masking_anon(const PolicyArguments& arguments, Profile profile);

// What verify judges under: the settings, and the key only when --key names
// one (which must exist); without it verify looks for original addresses.
AnonSetup verifying_anon(const PolicyArguments& arguments, Profile profile);

// The options that give a child pktmask exactly `settings` (batch mode):
// every one explicit, so that a child under the strict profile does not fall
// back to its implied anonymization; the key by its absolute path.
std::vector<std::string> anon_arguments(const AnonSettings& settings);

}  // namespace pktmask::cli

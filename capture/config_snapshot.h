#pragma once
// The capture's configuration as the `start` event records it: every
// effective setting, the hash that tells two configurations apart, and when
// the --config file was last changed.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace pktmask {

struct CaptureOptions;

struct ConfigSnapshot {
  nlohmann::json settings;     // keyed as the [capture] section of the configuration file
  std::string hash;            // sha256 of settings.dump(): keys sorted, no spaces
  int64_t timestamp_usec = 0;  // the --config file's mtime; 0 without one
};

// `timestamp_usec` comes from the caller, which knows the file.
ConfigSnapshot make_config_snapshot(const CaptureOptions& options, int64_t timestamp_usec);

}  // namespace pktmask

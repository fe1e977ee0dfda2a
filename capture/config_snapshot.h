#pragma once
// The `start` event's configuration snapshot when no configuration file
// filled CaptureOptions::config: the command line's settings, hashed.

#include <string>

#include <nlohmann/json.hpp>

#include "capture/capture_options.h"

namespace pktmask {

// sha256 hex of the settings' canonical dump (keys sorted, no spaces).
std::string config_hash(const nlohmann::json& settings);

// `options.config` if it was filled; else every setting of `options` by its
// option name, hashed, without a time stamp.
ConfigSnapshot config_snapshot(const CaptureOptions& options);

}  // namespace pktmask

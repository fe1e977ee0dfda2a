#pragma once
// The cleaner's settings as JSON, keyed and scaled as in the [capture]
// section of the configuration file (docs/capture.md, "Configuration"): for
// the `start` event's snapshot, `file_enqueued` and `clean_config_refresh`.

#include <nlohmann/json.hpp>

#include "capture/cleaner_settings.h"

namespace pktmask {

nlohmann::json cleaner_settings_json(const CleanerSettings& settings);
// The part that says what happens to a segment: compress, compress_level, compress_threshold_mb.
nlohmann::json compression_json(const CleanerSettings& settings);

}  // namespace pktmask

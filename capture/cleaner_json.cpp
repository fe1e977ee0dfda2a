#include "capture/cleaner_json.h"

namespace pktmask {

namespace {

// A limit that is off is 0, as in the configuration file.
double scaled(const std::optional<uint64_t>& bytes, double unit) {
  return bytes ? static_cast<double>(*bytes) / unit : 0;
}

}  // namespace

nlohmann::json compression_json(const CleanerSettings& settings) {
  return {{"compress", compression_name(settings.compression)},
          {"compress_level", settings.level},
          {"compress_threshold_mb", static_cast<double>(settings.compress_threshold) / 1e6}};
}

nlohmann::json cleaner_settings_json(const CleanerSettings& settings) {
  const RetentionPolicy& retention = settings.retention;
  nlohmann::json json = compression_json(settings);
  json.update({{"retain_days", retention.retain_days.value_or(0)},
               {"disk_threshold_gb", scaled(retention.min_free, 1e9)},
               {"max_disk_gb", scaled(retention.max_disk, 1e9)},
               {"clean_batch_size", retention.batch},
               {"file_rotate_count", retention.max_files}});
  return json;
}

}  // namespace pktmask

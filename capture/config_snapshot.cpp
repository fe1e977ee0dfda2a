#include "capture/config_snapshot.h"

#include "capture/file_digest.h"
#include "common/policy_json.h"

namespace pktmask {

namespace {

const char* compression_name(Compression compression) {
  switch (compression) {
    case Compression::gzip:
      return "gzip";
    case Compression::zstd:
      return "zstd";
    case Compression::none:
      break;
  }
  return "none";
}

nlohmann::json optional_json(const auto& value) { return value ? nlohmann::json(*value) : nlohmann::json(); }

nlohmann::json command_line_settings(const CaptureOptions& options) {
  const LiveOptions& live = options.live;
  const CaptureWorkerConfig& worker = options.worker;
  return {{"interface", live.interface},
          {"filter", live.filter},
          {"snaplen", live.snaplen},
          {"promiscuous", live.promiscuous},
          {"buffer_size", live.buffer_bytes},
          {"time_precision", live.precision == TimePrecision::nano ? "nano" : "micro"},
          {"netns", live.target.netns},
          {"pid", live.target.pid},
          {"container", live.target.container},
          {"read", options.replay},
          {"output_dir", options.output_dir},
          {"raw_dir", options.raw_parent},
          {"name", options.name_template},
          {"rotate_size", worker.rotate_bytes},
          {"rotate_seconds", worker.rotate_seconds},
          {"rotate_packets", worker.rotate_packets},
          {"duration", worker.duration_seconds},
          {"max_bytes", worker.max_bytes},
          {"max_packets", worker.max_packets},
          {"max_backlog", options.max_backlog},
          {"flow_timeout", options.flow_timeout_seconds},
          {"hold_seconds", options.hold_seconds},
          {"heartbeat", options.heartbeat_seconds},
          {"stop_timeout", options.stop_timeout_seconds},
          {"key_name", options.key_name},
          {"events", options.events},
          {"stats", options.stats},
          {"compress", compression_name(options.compression)},
          {"compress_level", options.compression_level},
          {"retain_days", optional_json(options.retention.retain_days)},
          {"max_disk", optional_json(options.retention.max_disk)},
          {"min_free", optional_json(options.retention.min_free)},
          {"self_check", static_cast<bool>(options.self_check)},
          {"policy", policy_to_json(options.policy)},
          {"anonymize", canonical_string(options.anon.settings)}};
}

}  // namespace

std::string config_hash(const nlohmann::json& settings) { return sha256_hex(settings.dump()); }

ConfigSnapshot config_snapshot(const CaptureOptions& options) {
  if (!options.config.hash.empty()) return options.config;
  nlohmann::json settings = command_line_settings(options);
  return {.settings = settings, .hash = config_hash(settings), .timestamp_usec = 0};
}

}  // namespace pktmask

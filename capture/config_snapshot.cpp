#include "capture/config_snapshot.h"

#include "capture/capture_options.h"
#include "capture/cleaner_json.h"
#include "capture/file_digest.h"
#include "common/policy_json.h"

namespace pktmask {

ConfigSnapshot make_config_snapshot(const CaptureOptions& options, int64_t timestamp_usec) {
  const LiveOptions& live = options.live;
  const CaptureWorkerConfig& worker = options.worker;
  nlohmann::json settings = {{"interface", live.interface},
                             {"filter", live.filter},
                             {"snaplen", live.snaplen},
                             {"promiscuous", live.promiscuous},
                             {"buffer_size", live.buffer_bytes},
                             {"time_precision", live.precision == TimePrecision::nano ? "nano" : "micro"},
                             {"netns", live.target.netns},
                             {"pid", live.target.pid},
                             {"container", live.target.container},
                             {"replay", options.replay},
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
                             {"self_check", static_cast<bool>(options.self_check)},
                             {"policy", policy_to_json(options.policy)},
                             {"anonymize", canonical_string(options.anon.settings)}};
  settings.update(cleaner_settings_json(options.cleaner));
  return {settings, sha256_hex(settings.dump()), timestamp_usec};
}

}  // namespace pktmask

#include "capture/config_snapshot.h"

#include <openssl/evp.h>

#include <fmt/format.h>

#include "capture/capture_options.h"
#include "capture/cleaner_json.h"

namespace pktmask {

namespace {

std::string sha256_hex(const std::string& text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  std::string hex;
  for (unsigned int i = 0; i < size; ++i) hex += fmt::format("{:02x}", digest[i]);
  return hex;
}

}  // namespace

ConfigSnapshot make_config_snapshot(const CaptureOptions& options, int64_t timestamp_usec) {
  const CaptureWorkerConfig& worker = options.worker;
  nlohmann::json settings = {{"interface", options.live.interface},
                             {"replay", options.replay},
                             {"filter", options.live.filter},
                             {"snaplen", options.live.snaplen},
                             {"promiscuous", options.live.promiscuous},
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
                             {"events", options.events},
                             {"stats", options.stats}};
  settings.update(cleaner_settings_json(options.cleaner));
  return {settings, sha256_hex(settings.dump()), timestamp_usec};
}

}  // namespace pktmask

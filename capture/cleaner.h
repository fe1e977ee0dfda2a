#pragma once
// The cleaner: takes each sanitized segment once it is stored, collects the
// segments into archives (or compresses each one) and applies the retention
// limits to the output directory: after every segment, after new settings,
// and every minute while the capture runs. docs/capture.md, "Retention and
// compression".

#include <string>

#include "capture/cleaner_settings.h"
#include "capture/message.h"
#include "capture/message_queue.h"
#include "capture/outbox.h"

namespace pktmask {

struct CleanerConfig {
  std::string output_dir;
  std::string name_template;  // names the archives, and finds our files for retention
  CleanerSettings settings;   // until a clean_config_refresh replaces them
  double heartbeat_seconds = 10;  // a heartbeat this often, files or not
};

// Takes the sanitizer's `file_ready` messages and `clean_config_refresh`
// (new settings) until the queue closes; then archives what still waits,
// applies retention once more and reports `finished`.
void run_cleaner(MessageQueue<Message>& inbox, const CleanerConfig& config, Outbox& out);

}  // namespace pktmask

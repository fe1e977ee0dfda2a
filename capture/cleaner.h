#pragma once
// The cleaner: takes each sanitized segment once it is stored, compresses it
// if asked, and applies the retention limits to the output directory: after
// every segment, and every minute while the capture runs.

#include <string>

#include "capture/compress.h"
#include "capture/message.h"
#include "capture/message_queue.h"
#include "capture/outbox.h"
#include "capture/retention.h"

namespace pktmask {

struct CleanerConfig {
  std::string output_dir;
  std::string segment_glob;  // which files in output_dir are ours to delete
  Compression compression = Compression::none;
  int level = 0;
  RetentionPolicy retention;
  double heartbeat_seconds = 10;  // a heartbeat this often, files or not
};

void run_cleaner(MessageQueue<Message>& files, const CleanerConfig& config, Outbox& out);

}  // namespace pktmask

#pragma once
// What the cleaner does with finished sanitized segments: how it compresses
// them and how long it keeps them. The defaults are the capture system's
// (docs/capture.md, "Retention and compression"); SIGHUP may replace them
// while the capture runs.

#include <cstdint>

#include "capture/compress.h"
#include "capture/retention.h"

namespace pktmask {

struct CleanerSettings {
  Compression compression = Compression::tar_gz;
  int level = 6;                                         // the format's level, already checked (compress.h)
  uint64_t compress_threshold = 100'000'000;             // archive once this many bytes of segments wait
  RetentionPolicy retention{.retain_days = 7,            // days
                            .max_disk = {},              // bytes of segments and archives; none by default
                            .min_free = 10'000'000'000,  // bytes kept free on the output file system
                            .max_files = 0,              // file_rotate_count; 0: no limit
                            .batch = 100};               // clean_batch_size
};

}  // namespace pktmask

#pragma once
// --metrics-file: the metrics for node_exporter's textfile collector, which
// may read the file at any moment, so it must never see a partial one.

#include <string>

namespace pktmask {

// Replaces PATH with TEXT atomically: a hidden temporary in the same
// directory (`.NAME.pktmask-tmp`, never `*.prom`), written, fsynced, then
// renamed over PATH. The file is mode 0644 whatever the umask: the collector
// usually runs as another user. Throws Error(start_create_file_failed).
void write_metrics_file(const std::string& path, const std::string& text);

}  // namespace pktmask

#pragma once
// Starting a capture: the output and raw directories and the packet source,
// acquired in that order. If one step fails, the constructor rolls back the
// ones before it (the directories it created, nothing else).

#include <memory>
#include <string>
#include <vector>

#include "capture_options.h"
#include "packet_source.h"

namespace pktmask {

class StartedCapture {
 public:
  // Throws CaptureFailure with a start code (1xx); nothing is left behind then.
  explicit StartedCapture(const CaptureOptions& options, const std::string& capture_id);
  ~StartedCapture();
  StartedCapture(const StartedCapture&) = delete;
  StartedCapture& operator=(const StartedCapture&) = delete;

  PacketSource& source() { return *source_; }
  const std::string& raw_dir() const { return raw_dir_; }
  // Removes the raw directory and whatever is still in it; returns how many raw segments were left.
  size_t remove_raw_dir();

 private:
  void create_dirs(const std::string& path, bool private_dir);

  std::vector<std::string> created_;  // directories this capture created, outermost first
  std::string raw_dir_;
  std::unique_ptr<PacketSource> source_;
};

std::string new_capture_id();

// For the second signal, from any thread: deletes the raw segments at once.
void remove_raw_segments_now(const std::string& raw_dir);

}  // namespace pktmask

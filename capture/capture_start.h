#pragma once
// Starting a capture: the output and raw directories and the packet source,
// acquired in that order. If one step fails, the constructor rolls back the
// ones before it (the directories it created, nothing else).
//
// A capture holds an flock on its raw directory (.pktmask-raw-ID) for as
// long as it runs, so a raw directory nobody holds was left by a capture
// that was killed (SIGKILL, a crash, a power cut). Each start removes those,
// in the same parent, while it holds a lock on the parent: a capture
// starting there at the same moment cannot have its new directory taken
// for a stale one before it locks it.

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "capture/capture_options.h"
#include "capture/packet_source.h"
#include "capture/process_watch.h"

namespace pktmask {

class StartedCapture {
 public:
  // Throws Error with a start code (1xx); nothing is left behind then.
  explicit StartedCapture(const CaptureOptions& options, const std::string& capture_id);
  ~StartedCapture();
  StartedCapture(const StartedCapture&) = delete;
  StartedCapture& operator=(const StartedCapture&) = delete;

  PacketSource& source() { return *source_; }
  // --pid, --container: the process whose exit ends the capture; else null.
  const ProcessWatch* target_process() const { return target_process_ ? &*target_process_ : nullptr; }
  const std::string& raw_dir() const { return raw_dir_; }
  // Stale raw directories this start removed.
  const std::vector<std::string>& stale_removed() const { return stale_removed_; }
  // Removes the raw directory and whatever is still in it; returns how many raw segments were left.
  size_t remove_raw_dir();

 private:
  void create_dirs(const std::string& path, bool private_dir);
  void create_raw_dir(const std::string& parent, const std::string& capture_id);

  std::vector<std::string> created_;  // directories this capture created, outermost first
  std::string raw_dir_;
  int raw_lock_ = -1;  // the raw directory, flocked while the capture runs
  std::vector<std::string> stale_removed_;
  std::optional<ProcessWatch> target_process_;
  std::unique_ptr<PacketSource> source_;
};

std::string new_capture_id();

// For the second signal, from any thread: deletes the raw segments at once.
void remove_raw_segments_now(const std::string& raw_dir);

}  // namespace pktmask

#pragma once
// The network namespace of a capture target (--netns, --pid, --container),
// and entering it. A packet socket stays in the namespace it was created
// in, so only the thread that opens the capture enters it, and only for
// that long.

#include <optional>
#include <string>

#include "capture/owned_fd.h"
#include "capture/packet_source.h"
#include "capture/process_watch.h"

namespace pktmask {

struct TargetNamespace {
  OwnedFd netns{};                        // -1: no target, this process's own
  std::optional<ProcessWatch> process{};  // --pid, --container: the process whose exit ends the capture
};

// Throws Error: start_invalid_params (not a network namespace),
// start_no_permission, start_process_not_found.
TargetNamespace open_target_namespace(const CaptureTarget& target);

// The calling thread is in `netns_fd` from construction to destruction.
class NetnsEntered {
 public:
  // Throws Error start_no_permission when it may not enter.
  explicit NetnsEntered(int netns_fd);
  ~NetnsEntered();
  NetnsEntered(const NetnsEntered&) = delete;
  NetnsEntered& operator=(const NetnsEntered&) = delete;

 private:
  OwnedFd home_;  // the namespace to go back to; -1 when none was entered
};

}  // namespace pktmask

#pragma once
// Tells when a process has exited. It holds a pidfd, which stays bound to
// the process it was opened for: a new process given the same pid later is
// not mistaken for it.

#include <sys/types.h>

#include "capture/owned_fd.h"

namespace pktmask {

class ProcessWatch {
 public:
  // Throws Error start_process_not_found when there is no such process.
  explicit ProcessWatch(pid_t pid);
  pid_t pid() const { return pid_; }
  // Does not block.
  bool exited() const;

 private:
  pid_t pid_;
  OwnedFd pidfd_;
};

}  // namespace pktmask

#pragma once
// The manager acts on each report once: a message from another capture, or
// one whose version its sender already used, is a duplicate (a retried send,
// a stale worker) and is ignored.

#include <cstdint>
#include <map>
#include <string>

#include "capture/message.h"

namespace pktmask {

class DuplicateFilter {
 public:
  explicit DuplicateFilter(std::string capture_id) : capture_id_(std::move(capture_id)) {}

  bool accept(const Message& message) {
    if (message.capture_id != capture_id_) return false;
    uint64_t& last = last_version_[message.from];
    if (message.version <= last) return false;
    last = message.version;
    return true;
  }

 private:
  std::string capture_id_;
  std::map<Actor, uint64_t> last_version_;
};

}  // namespace pktmask

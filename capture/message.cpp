#include "capture/message.h"

#include <chrono>

namespace pktmask {

const char* kind_name(MessageKind kind) {
  switch (kind) {
    case MessageKind::start:
      return "start";
    case MessageKind::stop:
      return "stop";
    case MessageKind::cancel:
      return "cancel";
    case MessageKind::credit:
      return "credit";
    case MessageKind::reload:
      return "reload";
    case MessageKind::started:
      return "started";
    case MessageKind::progress:
      return "progress";
    case MessageKind::heartbeat:
      return "heartbeat";
    case MessageKind::file_ready:
      return "file_ready";
    case MessageKind::finished:
      return "finished";
    case MessageKind::failed:
      return "failed";
    case MessageKind::raw_closed:
      return "raw_closed";
    case MessageKind::capture_ended:
      return "capture_ended";
    case MessageKind::capture_failed:
      return "capture_failed";
    case MessageKind::sanitize_started:
      return "sanitize_started";
    case MessageKind::sanitize_failed:
      return "sanitize_failed";
    case MessageKind::worker_done:
      return "worker_done";
    case MessageKind::file_enqueued:
      return "file_enqueued";
    case MessageKind::stored:
      return "stored";
    case MessageKind::compressed:
      return "compressed";
    case MessageKind::compress_failed:
      return "compress_failed";
    case MessageKind::deleted:
      return "deleted";
    case MessageKind::clean_failed:
      return "clean_failed";
    case MessageKind::clean_config_refresh:
      return "clean_config_refresh";
  }
  return "unknown";
}

const char* actor_name(Actor actor) {
  switch (actor) {
    case Actor::manager:
      return "manager";
    case Actor::capture:
      return "capture";
    case Actor::sanitizer:
      return "sanitizer";
    case Actor::cleaner:
      return "cleaner";
    case Actor::signals:
      return "signals";
  }
  return "unknown";
}

int64_t now_us() {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace pktmask

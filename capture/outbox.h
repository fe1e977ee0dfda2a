#pragma once
// A sender's end of a queue: stamps each message with the sender, the
// capture id, the sender's next version and the time.

#include <string>

#include "capture/message.h"
#include "capture/message_queue.h"

namespace pktmask {

class Outbox {
 public:
  Outbox(MessageQueue<Message>& queue, Actor from, std::string capture_id)
      : queue_(queue), from_(from), capture_id_(std::move(capture_id)) {}

  void send(Message message) {
    message.from = from_;
    message.capture_id = capture_id_;
    message.version = ++version_;
    message.ts_usec = now_us();
    queue_.push(std::move(message));
  }

 private:
  MessageQueue<Message>& queue_;
  Actor from_;
  std::string capture_id_;
  uint64_t version_ = 0;
};

}  // namespace pktmask

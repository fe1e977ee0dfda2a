#include <catch2/catch.hpp>

#include <thread>

#include "capture/duplicate_filter.h"
#include "capture/message_queue.h"
#include "capture/outbox.h"

using namespace pktmask;

TEST_CASE("message_queue hands items over in order and drains after close") {
  MessageQueue<int> queue(4);
  CHECK(queue.push(1));
  CHECK(queue.push(2));
  CHECK(queue.try_pop() == 1);
  queue.close();
  CHECK_FALSE(queue.push(3));
  CHECK(queue.pop() == 2);
  CHECK(queue.pop() == std::nullopt);
  CHECK(queue.closed_and_empty());
}

TEST_CASE("message_queue blocks a producer while full, and times out an idle consumer") {
  MessageQueue<int> queue(1);
  CHECK(queue.pop_for(std::chrono::milliseconds(10)) == std::nullopt);
  queue.push(1);
  std::thread producer([&] { queue.push(2); });  // waits for room
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  CHECK(queue.pop() == 1);
  producer.join();
  CHECK(queue.pop() == 2);
}

TEST_CASE("outbox stamps messages; the duplicate filter drops repeats and other captures' messages") {
  MessageQueue<Message> queue(8);
  Outbox capture(queue, Actor::capture, "id1");
  Outbox sanitizer(queue, Actor::sanitizer, "id1");
  capture.send({.kind = MessageKind::started});
  sanitizer.send({.kind = MessageKind::started});
  capture.send({.kind = MessageKind::progress});
  DuplicateFilter filter("id1");
  Message first = *queue.pop(), second = *queue.pop(), third = *queue.pop();
  CHECK(first.version == 1);
  CHECK(second.version == 1);  // versions count per sender
  CHECK(third.version == 2);
  CHECK(first.ts_usec > 0);
  CHECK(filter.accept(first));
  CHECK(filter.accept(second));
  CHECK_FALSE(filter.accept(first));  // delivered twice
  CHECK(filter.accept(third));
  Message stale = third;
  stale.version = 1;
  CHECK_FALSE(filter.accept(stale));  // older than what this sender already said
  Message foreign = third;
  foreign.capture_id = "id2";
  foreign.version = 9;
  CHECK_FALSE(filter.accept(foreign));
}

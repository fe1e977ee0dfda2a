#include <catch2/catch.hpp>

#include "common/flow_tracker.h"

using namespace pktmask;

namespace {

TcpSegment segment(uint32_t seq, uint8_t flags, uint32_t payload, uint16_t sport = 1000) {
  TcpSegment s;
  s.key.family = 4;
  s.key.sport = sport;
  s.key.dport = 443;
  s.seq = seq;
  s.flags = flags;
  s.payload_length = payload;
  s.payload_captured = payload;
  return s;
}

}  // namespace

TEST_CASE("unwrap_sequence follows the highest value across the 32-bit wrap") {
  uint64_t highest = kLogicalBase + 0xfffffff0u;
  CHECK(unwrap_sequence(highest, 0x00000010u) == kLogicalBase + 0x100000010ULL);
  CHECK(unwrap_sequence(highest, 0xffffff00u) == kLogicalBase + 0xffffff00u);
  CHECK(unwrap_sequence(kLogicalBase + 0x10, 0xfffffff0u) == kLogicalBase - 0x10);
}

TEST_CASE("flow_tracker: stream start is ISN+1 and payload of a SYN starts there") {
  FlowTracker tracker;
  auto syn = tracker.place(segment(0xfffffffe, kTcpSyn, 3));
  CHECK(syn.payload_start == kLogicalBase + 0xffffffffULL);
  auto data = tracker.place(segment(2, 0x18, 100));  // wrapped: 0xfffffffe + 1 + 3 = 2
  CHECK(data.payload_start == kLogicalBase + 0x100000002ULL);
  CHECK(data.direction == syn.direction);
  CHECK(tracker.directions()[0].stream_start == kLogicalBase + 0xffffffffULL);
}

TEST_CASE("flow_tracker: without a SYN the stream starts at the lowest data sequence number") {
  FlowTracker tracker;
  tracker.place(segment(5000, 0x10, 0));  // a pure ACK does not count
  tracker.place(segment(6000, 0x18, 100));
  tracker.place(segment(5500, 0x18, 100));
  CHECK(tracker.directions()[0].stream_start == kLogicalBase + 5500);
}

TEST_CASE("flow_tracker: a SYN with a new ISN starts a new generation; a retransmitted SYN does not") {
  FlowTracker tracker;
  auto first = tracker.place(segment(100, kTcpSyn, 0));
  auto again = tracker.place(segment(100, kTcpSyn, 0));
  CHECK(first.direction == again.direction);
  auto reuse = tracker.place(segment(90000, kTcpSyn, 0));
  CHECK(reuse.direction != first.direction);
  CHECK(tracker.directions()[reuse.direction].generation == 1);
}

TEST_CASE("flow_tracker: a SYN after data without one starts a new generation") {
  FlowTracker tracker;
  auto data = tracker.place(segment(100, 0x18, 10));
  auto syn = tracker.place(segment(100, kTcpSyn, 0));
  CHECK(syn.direction != data.direction);
}

TEST_CASE("flow_tracker: directions are keyed by the full 4-tuple") {
  FlowTracker tracker;
  auto a = tracker.place(segment(1, 0x18, 1, 1000));
  auto b = tracker.place(segment(1, 0x18, 1, 1001));
  CHECK(a.direction != b.direction);
}

TEST_CASE("flow_tracker: every segment placed counts, also one that moves nothing (a repeated keepalive probe)") {
  FlowTracker tracker;
  tracker.place(segment(1000, 0x18, 100));
  tracker.place(segment(1099, 0x10, 1));  // keepalive: one old byte
  uint64_t highest = tracker.directions()[0].highest;
  tracker.place(segment(1099, 0x10, 1));  // the same probe again
  CHECK(tracker.directions()[0].highest == highest);
  CHECK(tracker.directions()[0].segments == 3);
}

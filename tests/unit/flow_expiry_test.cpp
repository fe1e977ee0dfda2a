#include <catch2/catch.hpp>

#include "capture/flow_expiry.h"

using namespace pktmask;

namespace {

constexpr int64_t kSecond = 1000000;

CarriedDirection direction(uint16_t sport, uint64_t segments) {
  CarriedDirection carried;
  carried.direction.key.family = 4;
  carried.direction.key.sport = sport;
  carried.direction.key.dport = 443;
  carried.direction.segments = segments;
  return carried;
}

std::vector<uint16_t> ports(const MarkState& state) {
  std::vector<uint16_t> out;
  for (const CarriedDirection& d : state.directions) out.push_back(d.direction.key.sport);
  return out;
}

// The first segment's state: every direction new, active at time 0.
MarkState first_segment(FlowExpiry& expiry, std::vector<CarriedDirection> directions) {
  MarkState state{std::move(directions)};
  REQUIRE(expiry.prune(MarkState{}, state, 0) == 0);
  return state;
}

}  // namespace

TEST_CASE("flow_expiry: a direction quiet for longer than the timeout is forgotten, an active one stays") {
  FlowExpiry expiry(60 * kSecond);
  MarkState first = first_segment(expiry, {direction(1, 100), direction(2, 100)});

  MarkState second = first;
  second.directions[1].direction.segments = 200;  // port 2 is heard again
  CHECK(expiry.prune(first, second, 50 * kSecond) == 0);

  MarkState third = second;
  third.directions.push_back(direction(3, 100));  // a new direction
  CHECK(expiry.prune(second, third, 61 * kSecond) == 1);
  CHECK(ports(third) == std::vector<uint16_t>{2, 3});

  MarkState fourth = third;
  CHECK(expiry.prune(third, fourth, 110 * kSecond) == 0);  // exactly 60 s after port 2's activity
  MarkState fifth = fourth;
  CHECK(expiry.prune(fourth, fifth, 122 * kSecond) == 2);
  CHECK(fifth.directions.empty());
}

TEST_CASE("flow_expiry: generations keep their order, so the newest stays last") {
  FlowExpiry expiry(10 * kSecond);
  MarkState first = first_segment(expiry, {direction(1, 100), direction(2, 100)});
  MarkState second = first;
  second.directions.push_back(direction(1, 500));  // port 1 again: a new generation
  second.directions.back().direction.generation = 1;
  second.directions[1].direction.segments = 300;
  CHECK(expiry.prune(first, second, 20 * kSecond) == 1);
  REQUIRE(second.directions.size() == 2);
  CHECK(second.directions[0].direction.key.sport == 2);
  CHECK(second.directions[1].direction.generation == 1);
}

TEST_CASE("flow_expiry: a timeout of 0 never forgets") {
  FlowExpiry expiry(0);
  MarkState first = first_segment(expiry, {direction(1, 100)});
  MarkState second = first;
  CHECK(expiry.prune(first, second, 1000000 * kSecond) == 0);
  CHECK(second.directions.size() == 1);
}

TEST_CASE("flow_expiry: a state that does not continue the previous one is refused") {
  FlowExpiry expiry(10 * kSecond);
  MarkState first = first_segment(expiry, {direction(1, 100), direction(2, 100)});
  MarkState shorter{{direction(1, 100)}};
  CHECK_THROWS_AS(expiry.prune(first, shorter, 1), std::logic_error);
}

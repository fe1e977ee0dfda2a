#include <catch2/catch.hpp>

#include "marker/record_walk.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;
using test::tls_record;

namespace {

void feed(RecordWalk& walk, uint64_t seq, const Bytes& bytes) { walk.feed(seq, bytes); }

}  // namespace

TEST_CASE("record_walk keeps handshake records whole and only headers of application data") {
  RecordWalk walk(100);
  feed(walk, 100, concat({tls_record(22, 10), tls_record(23, 20), tls_record(21, 2)}));
  walk.finish();
  REQUIRE(walk.rules().size() == 3);
  CHECK(walk.rules()[0].seq_start == 100);
  CHECK(walk.rules()[0].seq_end == 115);
  CHECK(walk.rules()[0].type == RuleType::tls_record);
  CHECK(walk.rules()[1].seq_start == 115);
  CHECK(walk.rules()[1].seq_end == 120);
  CHECK(walk.rules()[1].type == RuleType::tls_header);
  CHECK(walk.rules()[2].seq_end == 147);
  CHECK(walk.status() == WalkStatus::tls);
}

TEST_CASE("record_walk: a header split across segments and a body gap do not stop the walk") {
  RecordWalk walk(0);
  Bytes stream = concat({tls_record(23, 100), tls_record(23, 10)});
  feed(walk, 0, Bytes(stream.begin(), stream.begin() + 3));
  feed(walk, 3, Bytes(stream.begin() + 3, stream.begin() + 50));
  // bytes 50..100 never captured: a gap in the body
  feed(walk, 100, Bytes(stream.begin() + 100, stream.end()));
  walk.finish();
  CHECK(walk.rules().size() == 2);
  CHECK(walk.status() == WalkStatus::tls);
}

TEST_CASE("record_walk stops for good at a header in a gap, even if later bytes look like records") {
  RecordWalk walk(0);
  Bytes stream = concat({tls_record(22, 10), tls_record(23, 10), tls_record(22, 10)});
  feed(walk, 0, Bytes(stream.begin(), stream.begin() + 15));
  feed(walk, 30, Bytes(stream.begin() + 30, stream.end()));  // header at 15 never captured
  walk.finish();
  CHECK(walk.rules().size() == 1);
  CHECK(walk.status() == WalkStatus::stopped);
}

TEST_CASE("record_walk stops at an implausible header and never resynchronises") {
  RecordWalk walk(0);
  feed(walk, 0, concat({tls_record(22, 4), hex("47 45 54 20 2f"), tls_record(22, 4)}));
  walk.finish();
  CHECK(walk.rules().size() == 1);
  CHECK(walk.status() == WalkStatus::stopped);

  RecordWalk not_tls(0);
  feed(not_tls, 0, hex("47 45 54 20 2f 20 48 54 54 50"));
  CHECK(not_tls.status() == WalkStatus::not_tls);

  RecordWalk too_long(0);
  feed(too_long, 0, hex("17 03 03 48 01"));  // 18433 > 18432
  CHECK(too_long.status() == WalkStatus::not_tls);
  RecordWalk bad_version(0);
  feed(bad_version, 0, hex("16 02 00 00 01 00"));
  CHECK(bad_version.status() == WalkStatus::not_tls);
}

TEST_CASE("record_walk uses the first captured copy when segments arrive out of order") {
  Bytes stream = concat({tls_record(22, 10), tls_record(23, 10), tls_record(22, 3)});
  RecordWalk walk(0);
  feed(walk, 15, Bytes(stream.begin() + 15, stream.end()));  // later data first
  Bytes lying = Bytes(stream.begin() + 10, stream.end());
  lying[15 - 10] = 0x47;  // a later retransmission with a different header byte
  feed(walk, 10, lying);
  feed(walk, 0, Bytes(stream.begin(), stream.begin() + 15));
  walk.finish();
  REQUIRE(walk.rules().size() == 3);
  CHECK(walk.rules()[2].seq_end == stream.size());
}

TEST_CASE("record_walk ignores bytes before the stream start") {
  RecordWalk walk(10);
  feed(walk, 0, concat({hex("00112233445566778899"), tls_record(22, 2)}));
  walk.finish();
  REQUIRE(walk.rules().size() == 1);
  CHECK(walk.rules()[0].seq_start == 10);
}

TEST_CASE("record_walk keeps a partly captured header at the end only if it could be plausible") {
  RecordWalk walk(0);
  feed(walk, 0, concat({tls_record(22, 2), hex("17 03")}));
  CHECK(walk.partial_header_rule().has_value());
  walk.finish();
  REQUIRE(walk.rules().size() == 2);
  CHECK(walk.rules()[1].seq_start == 7);
  CHECK(walk.rules()[1].seq_end == 12);
  CHECK(walk.status() == WalkStatus::stopped);

  for (auto tail : {hex("47 03"), hex("17 02"), hex("17 03 03 49")}) {
    RecordWalk implausible(0);
    feed(implausible, 0, concat({tls_record(22, 2), tail}));
    CHECK_FALSE(implausible.partial_header_rule().has_value());
    implausible.finish();
    CHECK(implausible.rules().size() == 1);
  }
}

TEST_CASE("record_walk snapshot continues exactly where the walk left off") {
  Bytes stream = concat({tls_record(22, 3), tls_record(23, 4), tls_record(21, 2)});
  RecordWalk first(0);
  feed(first, 0, Bytes(stream.begin(), stream.begin() + 10));  // ends inside the second header
  RecordWalk second(first.snapshot());
  feed(second, 10, Bytes(stream.begin() + 10, stream.end()));
  second.finish();
  REQUIRE(second.rules().size() == 3);  // the carried first rule, then the two new ones
  CHECK(second.rules()[1].seq_start == 8);
  CHECK(second.rules()[2].seq_end == stream.size());
  CHECK(second.status() == WalkStatus::tls);
}

TEST_CASE("walked_records reads the walk's records back from its rules, without the partial header") {
  RecordWalk walk(100);
  Bytes stream = concat({tls_record(22, 10), tls_record(23, 20), tls_record(21, 2), tls_record(23, 7)});
  feed(walk, 100, Bytes(stream.begin(), stream.begin() + 50));  // the last header: 3 of its 5 bytes
  walk.finish();
  FlowRules flow;
  flow.rules = walk.rules();
  flow.walk_end = walk.cursor();
  REQUIRE(flow.rules.size() == 4);  // three records and the partial header
  CHECK(walked_records(flow) == std::vector<WalkedRecord>{{100, 10, 22}, {115, 20, 23}, {140, 2, 21}});

  RecordWalk stopped(0);
  feed(stopped, 0, concat({tls_record(23, 30), hex("45484c4f20780d0a")}));  // a record, then "EHLO x\r\n"
  stopped.finish();
  flow.rules = stopped.rules();
  flow.walk_end = stopped.cursor();
  CHECK(walked_records(flow) == std::vector<WalkedRecord>{{0, 30, 23}});
}

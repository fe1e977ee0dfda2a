// The native engine on small captures built in memory: the rules it makes
// are held against the records the test put into the stream.

#include <catch2/catch.hpp>

#include "marker/marker.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;
using test::kIsn;
using test::kStreamStart;
using test::TlsStream;

namespace {

Bytes data_packet(const Bytes& stream, size_t from, size_t to) { return test::stream_packet(kIsn, stream, from, to); }

// The one direction that carried payload: the client's.
FlowRules mark(const std::vector<Bytes>& packets) {
  Bytes capture = test::pcap_file(packets);
  MarkJob job;
  job.input = CaptureInput::in_memory(capture);
  job.engine = Engine::native;
  KeepRuleSet rules = mark_native(job);
  REQUIRE(rules.flows.size() == 1);
  CHECK(rules.flows[0].key.sport == 40000);
  return rules.flows[0];
}

std::vector<Bytes> with_syn(std::vector<Bytes> packets) {
  packets.insert(packets.begin(), test::tcp_packet(kIsn, kTcpSyn, {}));
  return packets;
}

}  // namespace

TEST_CASE("mark_native places every record of a stream cut across segments") {
  TlsStream stream = test::four_records();
  FlowRules flow = mark(with_syn(test::stream_packets(kIsn, stream.bytes, test::kFourRecordCuts)));
  CHECK(flow.walk == WalkStatus::tls);
  CHECK(flow.stream_start == kStreamStart);
  CHECK(flow.walk_end == kStreamStart + stream.bytes.size());
  CHECK(test::rules_text(flow.rules, kStreamStart) == test::rules_text(stream.rules(kStreamStart), kStreamStart));
}

TEST_CASE("mark_native reads each byte from its first captured copy, whatever arrives later") {
  TlsStream stream = test::four_records();
  // Retransmissions carry other bytes where the stream's headers were (0xee
  // would stop the walk as an implausible header if it were read).
  Bytes other = Bytes(stream.bytes.size(), 0xee);
  Bytes overlap = test::concat({test::slice(other, 0, 60), test::slice(stream.bytes, 60, stream.bytes.size())});
  size_t end = stream.bytes.size();
  std::vector<Bytes> packets = with_syn({
      data_packet(stream.bytes, 0, 20), data_packet(stream.bytes, 20, 60),
      data_packet(overlap, 40, 70),  // bytes 40..59 again, then 60..69 for the first time
      data_packet(stream.bytes, 100, end), data_packet(stream.bytes, 70, 100),  // fills the hole before 100
      data_packet(other, 0, end),                                               // everything again
  });
  FlowRules flow = mark(packets);
  CHECK(flow.walk == WalkStatus::tls);
  CHECK(flow.walk_end == kStreamStart + end);
  CHECK(test::rules_text(flow.rules, kStreamStart) == test::rules_text(stream.rules(kStreamStart), kStreamStart));
}

TEST_CASE("mark_native walks a stream without SYN from its lowest sequence number, though it comes later") {
  TlsStream stream = test::four_records();
  size_t end = stream.bytes.size();
  // The first segment starts inside a record body: walked from there, it
  // would stop at once; the second pass walks from offset 0.
  FlowRules flow = mark({data_packet(stream.bytes, 100, end), data_packet(stream.bytes, 0, 100)});
  CHECK(flow.stream_start == kStreamStart);
  CHECK(flow.walk == WalkStatus::tls);
  CHECK(flow.walk_end == kStreamStart + end);
  CHECK(test::rules_text(flow.rules, kStreamStart) == test::rules_text(stream.rules(kStreamStart), kStreamStart));
}

TEST_CASE("mark_native finds no records in a stream that is not TLS") {
  std::string request = "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n";
  FlowRules flow = mark(with_syn({test::tcp_packet(kIsn + 1, 0x18, Bytes(request.begin(), request.end()))}));
  CHECK(flow.walk == WalkStatus::not_tls);
  CHECK(flow.rules.empty());
}

TEST_CASE("mark_native stops at an implausible header and keeps the records before it") {
  TlsStream good = test::four_records();
  TlsStream stream = test::four_records();
  stream.record(23, 10).record(22, 4);
  size_t bad = good.bytes.size();
  stream.bytes[bad + 1] = 0x07;  // version major 7
  FlowRules flow = mark(with_syn(test::stream_packets(kIsn, stream.bytes, {30, bad + 2, bad + 20})));
  CHECK(flow.walk == WalkStatus::stopped);
  CHECK(flow.walk_end == kStreamStart + bad);
  CHECK(flow.stop_reason.find("implausible header") != std::string::npos);
  CHECK(test::rules_text(flow.rules, kStreamStart) == test::rules_text(good.rules(kStreamStart), kStreamStart));
}

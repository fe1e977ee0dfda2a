// The marker's rules under the `tls` bodies and `handshake` options, on a
// small TLS 1.2 conversation built in memory. Expected rules are counted by
// hand from how the streams were built (test::client_hello() lists its
// offsets).

#include <catch2/catch.hpp>

#include "marker/marker.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;
using test::slice;
using test::tls_record;

namespace {

constexpr uint32_t kServerIsn = 70000;

Bytes record(uint8_t type, const Bytes& body) {
  return concat(
      {Bytes{type, 0x03, 0x03, static_cast<uint8_t>(body.size() >> 8), static_cast<uint8_t>(body.size())}, body});
}

// Client: the ClientHello in two records (0..105, 105..178), ClientKeyExchange
// (178..193), ChangeCipherSpec (193..199), then a record at 199 whose body
// (204..220) parses as a Finished message although it is encrypted.
Bytes client_stream() {
  Bytes hello = test::client_hello();
  return concat({record(22, slice(hello, 0, 100)), record(22, slice(hello, 100, 168)),
                 record(22, concat({hex("10 000006"), Bytes(6, 0x66)})), record(20, hex("01")),
                 record(22, concat({hex("14 00000c"), Bytes(12, 0x55)}))});
}

// Server: ServerHello selecting TLS 1.2 (5..54) and a Certificate (54..70) in one record.
Bytes server_stream() {
  Bytes server_hello = concat({hex("02 00002d 0303"), Bytes(32, 0x44), hex("00 c02f 00 0005 ff01 0001 00")});
  Bytes certificate = concat({hex("0b 00000c 000009 000006"), Bytes(6, 0x30)});
  return record(22, concat({server_hello, certificate}));
}

// The server's packets go the other way: addresses swapped too.
Bytes server_packet(const Bytes& stream, size_t from, size_t to) {
  Bytes payload = slice(stream, from, to);
  Bytes packet =
      concat({test::ethernet_header(0x0800), test::ipv4_header(6, 20 + payload.size(), "0a000002", "0a000001"),
              test::tcp_header(443, 40000, kServerIsn + 1 + static_cast<uint32_t>(from), 0x18), payload});
  test::fix_ipv4_tcp_checksum(packet, 34);
  return packet;
}

std::vector<Bytes> conversation() {
  Bytes client = client_stream();
  Bytes server = server_stream();
  std::vector<Bytes> packets = {test::tcp_packet(test::kIsn, kTcpSyn, {}), server_packet(server, 0, server.size())};
  // The ClientHello's second record header is cut across segments.
  for (Bytes& packet : test::stream_packets(test::kIsn, client, {103, 150})) packets.push_back(std::move(packet));
  return packets;
}

std::string client_rules(const PolicySettings& policy, const std::vector<Bytes>& packets = conversation()) {
  Bytes capture = test::pcap_file(packets);
  MarkJob job;
  job.input = CaptureInput::in_memory(capture);
  job.engine = Engine::native;
  job.policy = policy;
  KeepRuleSet rules = mark_capture(job);
  for (const FlowRules& flow : rules.flows)
    if (flow.key.sport == 40000) return test::rules_text(flow.rules, test::kStreamStart);
  FAIL("no client flow");
  return {};
}

PolicySettings with(HandshakeDetail detail) {
  PolicySettings policy;
  policy.handshake = detail;
  return policy;
}

}  // namespace

TEST_CASE("body policy: full keeps whole records") {
  CHECK(client_rules({}) ==
        "0-105 record 22, 105-178 record 22, 178-193 record 22, 193-199 record 20, 199-220 record 22");
}

TEST_CASE("body policy: bodies the tls option does not list keep only their headers") {
  PolicySettings policy;
  policy.tls.ccs = false;
  CHECK(client_rules(policy) ==
        "0-105 record 22, 105-178 record 22, 178-193 record 22, 193-198 header 20, 199-220 record 22");
  policy.tls.handshake = false;
  policy.handshake = HandshakeDetail::anonymous;  // nothing left to walk
  CHECK(client_rules(policy) ==
        "0-5 header 22, 105-110 header 22, 178-183 header 22, 193-198 header 20, 199-204 header 22");
}

TEST_CASE("body policy: anonymous zeroes the host name, ticket and PSK identity across records") {
  // ClientHello bytes 0..100 at 5, 100..168 at 110; the encrypted record kept whole.
  CHECK(client_rules(with(HandshakeDetail::anonymous)) ==
        "0-5 header 22, 5-95 part 22, 105-110 header 22, 111-115 part 22, 119-134 part 22, 139-178 part 22, "
        "178-183 header 22, 183-193 part 22, 193-199 record 20, 199-204 header 22, 204-220 part 22");
}

TEST_CASE("body policy: headers keeps message headers; the server's ServerHello says the last record is encrypted") {
  CHECK(client_rules(with(HandshakeDetail::headers)) ==
        "0-5 header 22, 5-9 part 22, 105-110 header 22, 178-183 header 22, 183-187 part 22, 193-199 record 20, "
        "199-204 header 22");
}

TEST_CASE("body policy: without the server's direction the version is unknown and a record that parses is walked") {
  std::vector<Bytes> packets = conversation();
  packets.erase(packets.begin() + 1);
  CHECK(client_rules(with(HandshakeDetail::headers), packets) ==
        "0-5 header 22, 5-9 part 22, 105-110 header 22, 178-183 header 22, 183-187 part 22, 193-199 record 20, "
        "199-204 header 22, 204-208 part 22");
}

TEST_CASE("body policy: a direction carried from an earlier capture segment keeps no handshake body") {
  std::vector<Bytes> packets = conversation();
  std::vector<Bytes> first(packets.begin(), packets.begin() + 3), second(packets.begin() + 3, packets.end());
  Bytes first_capture = test::pcap_file(first), second_capture = test::pcap_file(second);
  MarkState state;
  MarkJob job;
  job.engine = Engine::native;
  job.policy = with(HandshakeDetail::anonymous);
  job.input = CaptureInput::in_memory(first_capture);
  job.state_out = &state;
  KeepRuleSet rules = mark_capture(job);
  MarkJob next = job;
  next.input = CaptureInput::in_memory(second_capture);
  next.state_in = &state;
  MarkState last;
  next.state_out = &last;
  rules = mark_capture(next);
  size_t judged = 0;
  for (const FlowRules& flow : rules.flows)
    for (const KeepRule& rule : flow.rules)
      if (flow.key.sport == 40000 && rule.content_type == 22) {
        CHECK(rule.type == RuleType::tls_header);
        ++judged;
      }
  CHECK(judged == 4);  // the first carried from the first segment, three placed in the second
}

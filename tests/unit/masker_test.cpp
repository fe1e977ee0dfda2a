// The masker on small captures built in memory, with rules written by hand:
// what it writes is compared byte for byte with the capture the test builds
// from the masked stream, so headers, checksums and blocks are checked too.

#include <filesystem>

#include <catch2/catch.hpp>

#include "common/errors.h"
#include "common/fingerprint.h"
#include "common/input_stream.h"
#include "masker/masker.h"
#include "packet_bytes.h"
#include "temp_dir.h"
#include "verifier/self_check.h"

using namespace pktmask;
using test::Bytes;
using test::kIsn;
using test::kStreamStart;
using test::TlsStream;

namespace {

// The client direction of test::tcp_packet(): 10.0.0.1:40000 -> 10.0.0.2:443.
FlowKey client_key() {
  FlowKey key;
  key.family = 4;
  key.src = {10, 0, 0, 1};
  key.dst = {10, 0, 0, 2};
  key.sport = 40000;
  key.dport = 443;
  return key;
}

Fingerprint fingerprint_of(const Bytes& capture) {
  size_t head = std::min(capture.size(), InputStream::kHeadBytes);
  return {capture.size(), fnv1a(kFnvOffset, {capture.data(), head})};
}

// What the policy keeps of `stream`, as the marker would write it.
KeepRuleSet rules_for(const TlsStream& stream, const Bytes& capture) {
  FlowRules flow;
  flow.key = client_key();
  flow.stream_start = kStreamStart;
  flow.walk = WalkStatus::tls;
  flow.rules = stream.rules(kStreamStart);
  KeepRuleSet rules;
  rules.source = fingerprint_of(capture);
  rules.flows.push_back(flow);
  return rules;
}

Bytes udp_packet() {
  Bytes payload = test::hex("1234 0100 0001 0000 0000 0000");
  return test::concat({test::ethernet_header(0x0800), test::ipv4_header(17, 8 + payload.size()),
                       test::hex("c350 0035 0014 0000"), payload});
}

// The connection with `payload_packets`: SYN, the client's stream, the server's reply, and a UDP packet.
std::vector<Bytes> connection(const std::vector<Bytes>& payload_packets, const Bytes& reply) {
  std::vector<Bytes> packets = {test::tcp_packet(kIsn, kTcpSyn, {})};
  packets.insert(packets.end(), payload_packets.begin(), payload_packets.end());
  packets.push_back(test::tcp_packet(5000, 0x18, reply, 443, 40000));
  packets.push_back(udp_packet());
  return packets;
}

Bytes mask(const Bytes& capture, const KeepRuleSet& rules, const test::TempDir& dir, OutputCheck* check = nullptr) {
  MaskJob job;
  job.input = CaptureInput::in_memory(capture);
  job.output = dir.file("masked.pcap");
  job.check = check;
  mask_capture(job, rules);
  return test::read_file(job.output);
}

}  // namespace

TEST_CASE("mask_capture keeps the kept bytes, zeroes the rest of each payload and repairs checksums") {
  test::TempDir dir;
  TlsStream stream = test::four_records();
  Bytes reply(64, 0x5a);  // the server's direction has no rules: all of it is masked
  Bytes input = test::pcap_file(connection(test::stream_packets(kIsn, stream.bytes, test::kFourRecordCuts), reply));
  Bytes expected = test::pcap_file(
      connection(test::stream_packets(kIsn, stream.masked(), test::kFourRecordCuts), Bytes(reply.size(), 0)));
  CHECK(mask(input, rules_for(stream, input), dir) == expected);
}

TEST_CASE("mask_capture leaves a TCP checksum that did not verify as it was") {
  test::TempDir dir;
  TlsStream stream = test::four_records();
  constexpr size_t kChecksum = 14 + 20 + 16;  // Ethernet, IPv4, then the TCP checksum's offset
  auto spoil_checksums = [](std::vector<Bytes> packets) {
    for (Bytes& packet : packets) packet[kChecksum] ^= 0x01;  // as a checksum offload leaves it: wrong
    return packets;
  };
  Bytes input =
      test::pcap_file(connection(spoil_checksums(test::stream_packets(kIsn, stream.bytes, test::kFourRecordCuts)), {}));
  // Masking must not make a wrong checksum right, nor touch it at all.
  std::vector<Bytes> masked = test::stream_packets(kIsn, stream.masked(), test::kFourRecordCuts);
  std::vector<Bytes> original = test::stream_packets(kIsn, stream.bytes, test::kFourRecordCuts);
  for (size_t i = 0; i < masked.size(); ++i) {
    masked[i][kChecksum] = original[i][kChecksum] ^ 0x01;
    masked[i][kChecksum + 1] = original[i][kChecksum + 1];
  }
  CHECK(mask(input, rules_for(stream, input), dir) == test::pcap_file(connection(masked, {})));
}

TEST_CASE("mask_capture drops Decryption Secrets Blocks and declares the section length unknown") {
  test::TempDir dir;
  TlsStream stream = test::four_records();
  auto blocks = [](const std::vector<Bytes>& packets) {
    Bytes out;
    for (const Bytes& packet : packets) out = test::concat({out, test::pcapng_packet(packet)});
    return out;
  };
  Bytes secrets = test::pcapng_secrets("CLIENT_RANDOM 00 11\n");
  Bytes body = test::concat({test::pcapng_ethernet_interface(), secrets,
                             blocks(connection(test::stream_packets(kIsn, stream.bytes, test::kFourRecordCuts), {}))});
  Bytes input = test::concat({test::pcapng_section_header(static_cast<int64_t>(body.size())), body});
  Bytes expected =
      test::concat({test::pcapng_section_header(-1), test::pcapng_ethernet_interface(),
                    blocks(connection(test::stream_packets(kIsn, stream.masked(), test::kFourRecordCuts), {}))});
  CHECK(mask(input, rules_for(stream, input), dir) == expected);
}

TEST_CASE("mask_capture refuses rules made from another capture, and writes nothing") {
  test::TempDir dir;
  TlsStream stream = test::four_records();
  Bytes input = test::pcap_file(connection(test::stream_packets(kIsn, stream.bytes, test::kFourRecordCuts), {}));
  KeepRuleSet rules = rules_for(stream, input);
  rules.source.head_hash ^= 1;
  try {
    mask(input, rules, dir);
    FAIL("rules for another capture were used");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::bad_rules);
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("masked.pcap")));
}

TEST_CASE("mask_capture with the self-check publishes a correct output and refuses one that keeps too much") {
  test::TempDir dir;
  TlsStream stream = test::four_records();
  Bytes input = test::pcap_file(connection(test::stream_packets(kIsn, stream.bytes, test::kFourRecordCuts), {}));
  KeepRuleSet rules = rules_for(stream, input);
  {
    verify::SelfCheck check(CaptureInput::in_memory(input), "masked.pcap", TornTail::refuse, PolicySettings{});
    CHECK(mask(input, rules, dir, &check) ==
          test::pcap_file(connection(test::stream_packets(kIsn, stream.masked(), test::kFourRecordCuts), {})));
  }
  std::filesystem::remove(dir.file("masked.pcap"));
  // Stream byte 100 lies in an ApplicationData body, carried by frame 5
  // (SYN, then [0,20) [20,47) [47,48) [48,152)). Rules stay sorted, as the contract requires.
  std::vector<KeepRule>& kept = rules.flows[0].rules;
  kept.insert(kept.begin() + 2, {kStreamStart + 100, kStreamStart + 101, RuleType::tls_record, 23});
  verify::SelfCheck check(CaptureInput::in_memory(input), "masked.pcap", TornTail::refuse, PolicySettings{});
  try {
    mask(input, rules, dir, &check);
    FAIL("a leaky output was published");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::verification_failed);
    CHECK(std::string(e.what()).find("1 leaked byte(s)") != std::string::npos);
    CHECK(std::string(e.what()).find("first at packet 5") != std::string::npos);
  }
  CHECK_FALSE(std::filesystem::exists(dir.file("masked.pcap")));
}

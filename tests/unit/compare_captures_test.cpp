// The verifier's comparison on small captures built in memory: the
// sanitized file is built by the test from the masked stream, then spoiled
// one way at a time, and each spoiling must be found where it was made.

#include <numeric>

#include <catch2/catch.hpp>

#include "packet_bytes.h"
#include "temp_dir.h"
#include "verifier/compare_captures.h"
#include "verifier/verify.h"
#include "verifier/walk_original.h"

using namespace pktmask;
using namespace pktmask::verify;
using test::Bytes;
using test::kIsn;
using test::TlsStream;

namespace {

constexpr size_t kPayload = 14 + 20 + 20;  // Ethernet, IPv4, TCP: where each packet's payload starts

// Frames: 1 SYN, 2 [0,20), 3 [20,47), 4 [47,48), 5 [48,152), 6 [152,186), 7 [186,192).
std::vector<Bytes> packets_of(const Bytes& stream) {
  std::vector<Bytes> packets = test::stream_packets(kIsn, stream, test::kFourRecordCuts);
  packets.insert(packets.begin(), test::tcp_packet(kIsn, kTcpSyn, {}));
  return packets;
}

Bytes original() { return test::pcap_file(packets_of(test::four_records().bytes)); }
std::vector<Bytes> sanitized_packets() { return packets_of(test::four_records().masked()); }

Findings compare(const Bytes& sanitized) {
  Bytes was = original();
  Findings findings(10);
  std::vector<KeptRanges> policy = walk_original(CaptureInput::in_memory(was), TornTail::refuse);
  compare_captures(CaptureInput::in_memory(was), CaptureInput::in_memory(sanitized), policy, MetadataMode::scrub,
                   TornTail::refuse, findings, {});
  return findings;
}

// Changes payload byte `offset` of frame `frame` and repairs the TCP checksum, as a masker would.
Bytes with_payload_byte(size_t frame, size_t offset, uint8_t value) {
  std::vector<Bytes> packets = sanitized_packets();
  Bytes& packet = packets[frame - 1];
  packet[kPayload + offset] = value;
  test::fix_ipv4_tcp_checksum(packet, 14 + 20);
  return test::pcap_file(packets);
}

void check_only(const Findings& findings, Problem problem, const std::string& place) {
  for (Problem other : {Problem::leaked, Problem::lost, Problem::structural})
    if (other != problem) CHECK(findings.count(other) == 0);
  CHECK(findings.count(problem) >= 1);
  CHECK(findings.first_offender(problem).rfind(place + ":", 0) == 0);
}

}  // namespace

TEST_CASE("compare_captures finds nothing wrong with a correctly sanitized capture") {
  Findings findings = compare(test::pcap_file(sanitized_packets()));
  CHECK(findings.ok());
  CHECK(findings.packets == 7);
  TlsStream stream = test::four_records();
  uint64_t kept = std::accumulate(stream.records.begin(), stream.records.end(), uint64_t{0},
                                  [](uint64_t sum, const TlsStream::Record& r) { return sum + r.kept_end - r.start; });
  CHECK(findings.payload_bytes_kept == kept);
  CHECK(findings.payload_bytes_masked == stream.bytes.size() - kept);
}

TEST_CASE("compare_captures finds one leaked byte in its packet") {
  // Frame 5 carries stream bytes 48..151: byte 100 is in ApplicationData's body.
  check_only(compare(with_payload_byte(5, 100 - 48, 0x22)), Problem::leaked, "packet 5");
}

TEST_CASE("compare_captures finds a changed record header byte as lost") {
  // Frame 4 carries stream byte 47 alone: the third byte of the second record's header.
  check_only(compare(with_payload_byte(4, 0, 0x09)), Problem::lost, "packet 4");
}

TEST_CASE("compare_captures finds a changed packet header byte") {
  std::vector<Bytes> packets = sanitized_packets();
  packets[2][14 + 8] ^= 0x01;  // frame 3's IPv4 TTL
  check_only(compare(test::pcap_file(packets)), Problem::structural, "packet 3");
}

TEST_CASE("compare_captures finds a packet of another length") {
  std::vector<Bytes> packets = sanitized_packets();
  packets[4].pop_back();  // frame 5, one byte shorter
  Findings findings = compare(test::pcap_file(packets));
  check_only(findings, Problem::structural, "packet 5");
}

TEST_CASE("compare_captures finds a missing packet") {
  std::vector<Bytes> packets = sanitized_packets();
  packets.erase(packets.begin() + 5);  // frame 6
  Findings findings = compare(test::pcap_file(packets));
  check_only(findings, Problem::structural, "packet 6");
  CHECK(findings.count(Problem::structural) == 2);  // and the file's packet count
}

TEST_CASE("verify_captures without tshark passes a correct file and fails a leaky one") {
  test::TempDir dir;
  test::write_file(dir.file("original.pcap"), original());
  test::write_file(dir.file("good.pcap"), test::pcap_file(sanitized_packets()));
  test::write_file(dir.file("leaky.pcap"), with_payload_byte(5, 100 - 48, 0x22));
  VerifyJob job;
  job.original = dir.file("original.pcap");
  job.tshark = false;
  job.sanitized = dir.file("good.pcap");
  VerifyResult good = verify_captures(job);
  CHECK(good.findings.ok());
  CHECK(!good.tshark);
  job.sanitized = dir.file("leaky.pcap");
  VerifyResult leaky = verify_captures(job);
  CHECK(leaky.findings.count(Problem::leaked) == 1);
  CHECK(leaky.findings.first_offender(Problem::leaked).rfind("packet 5:", 0) == 0);
}

// The verifier on anonymized output: captures crafted here, "anonymized" by
// the test itself (each address it placed is written as AddressAnonymizer
// maps it, and every checksum is recomputed with the test's own sum), then
// spoiled one way at a time. With the key, verify checks each mapped
// address; with or without it, no original address may be left anywhere.

#include <optional>
#include <string>

#include <catch2/catch.hpp>

#include "common/anon/address_anonymizer.h"
#include "packet_bytes.h"
#include "temp_dir.h"
#include "verifier/compare_captures.h"
#include "verifier/original_addresses.h"
#include "verifier/verify.h"
#include "verifier/walk_original.h"

using namespace pktmask;
using namespace pktmask::verify;
using test::Bytes;
using test::hex;

namespace {

constexpr size_t kIp = 14;         // IPv4 header
constexpr size_t kTransport = 34;  // TCP header or ICMP message
constexpr size_t kQuote = 42;      // the quoted IPv4 header of the ICMP error
constexpr size_t kBody = 54 + 5;   // the Handshake record's body in packet 2

// Every address the test placed in each packet, by offset.
struct Site {
  size_t offset;
  AddressKind kind;
};
const std::vector<Site> kTcpSites = {
    {0, AddressKind::mac}, {6, AddressKind::mac}, {kIp + 12, AddressKind::ipv4}, {kIp + 16, AddressKind::ipv4}};
std::vector<Site> icmp_sites() {
  std::vector<Site> sites = kTcpSites;
  sites.push_back({kQuote + 12, AddressKind::ipv4});
  sites.push_back({kQuote + 16, AddressKind::ipv4});
  return sites;
}

// RFC 1071, written out here so that the checksums do not come from the code under test.
uint16_t internet_checksum(const Bytes& packet, size_t from, size_t to, uint32_t sum = 0) {
  for (size_t i = from; i < to; i += 2) sum += uint32_t(packet[i] << 8 | (i + 1 < to ? packet[i + 1] : 0));
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

void set_checksum(Bytes& packet, size_t field, size_t from, size_t to, uint32_t pseudo = 0) {
  packet[field] = packet[field + 1] = 0;
  uint16_t sum = internet_checksum(packet, from, to, pseudo);
  packet[field] = uint8_t(sum >> 8);
  packet[field + 1] = uint8_t(sum);
}

void fix_ipv4_header(Bytes& packet, size_t at) { set_checksum(packet, at + 10, at, at + 20); }

void fix_tcp(Bytes& packet) {
  uint32_t pseudo = 6 + uint32_t(packet.size() - kTransport);
  for (size_t i = kIp + 12; i < kIp + 20; i += 2) pseudo += uint32_t(packet[i] << 8 | packet[i + 1]);
  set_checksum(packet, kTransport + 16, kTransport, packet.size(), pseudo);
}

void fix_icmp(Bytes& packet) {
  fix_ipv4_header(packet, kQuote);
  set_checksum(packet, kTransport + 2, kTransport, packet.size());
}

// Frames: 1 SYN 10.0.0.1 -> 10.0.0.2; 2 a Handshake record (kept whole), with
// `body` at the start of its body; 3 an ICMP port unreachable from 10.0.0.3
// quoting frame 2's IPv4 header.
std::vector<Bytes> original_packets(const Bytes& body = {}) {
  Bytes record = test::tls_record(22, 40);
  std::copy(body.begin(), body.end(), record.begin() + 5);
  Bytes quote = test::concat({test::ipv4_header(6, 20 + record.size()),
                              test::slice(test::tcp_header(40000, 443, test::kIsn + 1, 0x18), 0, 8)});
  Bytes icmp = test::concat({hex("03 03 0000 00000000"), quote});
  Bytes error =
      test::concat({test::ethernet_header(0x0800), test::ipv4_header(1, icmp.size(), "0a000003", "0a000001"), icmp});
  fix_icmp(error);
  return {test::tcp_packet(test::kIsn, kTcpSyn, {}), test::tcp_packet(test::kIsn + 1, 0x18, record), error};
}

AnonSetup setup(std::optional<AnonKey> key = AnonKey{}) {
  AnonSetup anon;
  anon.settings.ip = true;
  anon.settings.mac = true;
  if (key)
    for (size_t i = 0; i < key->bytes.size(); ++i) key->bytes[i] = uint8_t(i * 7 + 1);
  anon.key = key;
  return anon;
}

// `packets` as an anonymizer under `anon` should write them, checksums
// recomputed; `skip` leaves the address at (packet index, offset) as it was.
std::vector<Bytes> anonymized(std::vector<Bytes> packets, const AnonSetup& anon,
                              std::optional<std::pair<size_t, size_t>> skip = std::nullopt) {
  AddressAnonymizer anonymizer(*anon.key, anon.settings);
  for (size_t p = 0; p < packets.size(); ++p) {
    Bytes& packet = packets[p];
    bool icmp = p == 2;
    for (const Site& site : icmp ? icmp_sites() : kTcpSites)
      if (!skip || *skip != std::pair{p, site.offset})
        anonymizer.anonymize(site.kind, packet.data() + site.offset, packet.data() + site.offset);
    fix_ipv4_header(packet, kIp);
    icmp ? fix_icmp(packet) : fix_tcp(packet);
  }
  return packets;
}

Findings judge(const std::vector<Bytes>& original, const std::vector<Bytes>& output, const AnonSetup& anon,
               KeptPayloadAddresses kept_payload = KeptPayloadAddresses::fail) {
  Bytes was = test::pcap_file(original);
  Bytes now = test::pcap_file(output);
  Findings findings(10);
  OriginalAddresses addresses(anon);
  std::vector<KeptRanges> policy =
      walk_original(CaptureInput::in_memory(was), TornTail::refuse, PolicySettings{}, &addresses);
  compare_captures(CaptureInput::in_memory(was), CaptureInput::in_memory(now), policy, PolicySettings{},
                   TornTail::refuse, findings, {}, AddressJudge(anon, addresses, kept_payload));
  return findings;
}

AnonSetup without_key(AnonSetup anon) {
  anon.key.reset();
  return anon;
}

void check_ok_with_and_without_key(const std::vector<Bytes>& original, const std::vector<Bytes>& output,
                                   const AnonSetup& anon) {
  for (const AnonSetup& judged : {anon, without_key(anon)}) {
    Findings findings = judge(original, output, judged);
    INFO(findings.to_text());
    CHECK(findings.ok());
    CHECK(findings.packets == output.size());
  }
}

bool listed(const Findings& findings, Problem problem, const std::string& start, const std::string& part) {
  std::string first = findings.first_offender(problem);
  return first.rfind(start, 0) == 0 && first.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("verify passes a correctly anonymized capture, with and without the key") {
  AnonSetup anon = setup();
  std::vector<Bytes> original = original_packets();
  std::vector<Bytes> output = anonymized(original, anon);
  REQUIRE(output[1][kIp + 12] != original[1][kIp + 12]);  // the addresses did change
  check_ok_with_and_without_key(original, output, anon);
}

TEST_CASE("verify with the key finds one address mapped wrongly") {
  AnonSetup anon = setup();
  std::vector<Bytes> original = original_packets();
  std::vector<Bytes> output = anonymized(original, anon);
  AnonSetup other = setup();
  other.key->bytes[0] ^= 1;
  AddressAnonymizer(*other.key, other.settings)
      .anonymize(AddressKind::ipv4, original[1].data() + kIp + 16, output[1].data() + kIp + 16);
  fix_ipv4_header(output[1], kIp);
  fix_tcp(output[1]);
  Findings findings = judge(original, output, anon);
  CHECK(findings.count(Problem::structural) == 1);
  CHECK(findings.count(Problem::leaked) == 0);
  CHECK(listed(findings, Problem::structural, "packet 2:", "address at byte 30"));
  CHECK(listed(findings, Problem::structural, "packet 2:", "10.0.0.2"));
}

TEST_CASE("verify without the key finds an original address left in a kept TCP payload") {
  AnonSetup anon = without_key(setup());
  std::vector<Bytes> original = original_packets(hex("0a000002"));
  Findings findings = judge(original, anonymized(original, setup()), anon);
  CHECK(findings.count(Problem::structural) == 0);
  CHECK(findings.count(Problem::lost) == 0);
  CHECK(findings.leaked(ByteClass::address) == 4);
  CHECK(listed(findings, Problem::leaked, "packet 2:", "10.0.0.2 left at packet byte " + std::to_string(kBody)));
  CHECK(findings.to_json()["leaked_by_class"]["address"] == 4);
}

TEST_CASE("the self-check notes an original address in a kept payload without failing, but not one in a quote") {
  std::vector<Bytes> original = original_packets(hex("0a000002"));
  Findings kept = judge(original, anonymized(original, setup()), setup(), KeptPayloadAddresses::warn);
  CHECK(kept.ok());
  CHECK(kept.kept_addresses() == 1);
  CHECK(kept.first_kept_address() ==
        "packet 2: original address 10.0.0.2 left at packet byte " + std::to_string(kBody) + " (in kept payload)");
  std::vector<Bytes> plain = original_packets();
  Findings quoted = judge(plain, anonymized(plain, setup(), std::pair{size_t{2}, kQuote + 16}), without_key(setup()),
                          KeptPayloadAddresses::warn);
  CHECK(quoted.leaked(ByteClass::address) == 4);
  CHECK(quoted.kept_addresses() == 0);
}

TEST_CASE("verify without the key finds an original address left in an ICMP quote") {
  std::vector<Bytes> original = original_packets();
  Findings findings =
      judge(original, anonymized(original, setup(), std::pair{size_t{2}, kQuote + 16}), without_key(setup()));
  CHECK(findings.count(Problem::structural) == 0);
  CHECK(findings.leaked(ByteClass::address) == 4);
  CHECK(listed(findings, Problem::leaked, "packet 3:", "10.0.0.2 left at packet byte 58"));
}

TEST_CASE("verify without the key finds an original MAC address left in place") {
  std::vector<Bytes> original = original_packets();
  Findings findings =
      judge(original, anonymized(original, setup(), std::pair{size_t{0}, size_t{6}}), without_key(setup()));
  CHECK(findings.count(Problem::structural) == 0);
  CHECK(findings.leaked(ByteClass::address) == 6);
  CHECK(listed(findings, Problem::leaked, "packet 1:", "02:00:00:00:00:01 left at packet byte 6"));
}

TEST_CASE("an address of a kept prefix left unchanged is no finding") {
  AnonSetup anon = setup();
  anon.settings.keep.push_back(*parse_prefix("10.0.0.2/32"));
  std::vector<Bytes> original = original_packets(hex("0a000002"));
  std::vector<Bytes> output = anonymized(original, anon);
  CHECK(test::slice(output[1], kIp + 16, kIp + 20) == hex("0a000002"));
  check_ok_with_and_without_key(original, output, anon);
}

TEST_CASE("a checksum broken by anonymization is structural") {
  AnonSetup anon = setup();
  std::vector<Bytes> original = original_packets();
  std::vector<Bytes> tcp = anonymized(original, anon);
  tcp[1][kTransport + 16] ^= 0x01;
  std::vector<Bytes> header = anonymized(original, anon);
  header[2][kIp + 10] ^= 0x01;
  for (const AnonSetup& judged : {anon, without_key(anon)}) {
    Findings broken_tcp = judge(original, tcp, judged);
    CHECK(broken_tcp.count(Problem::structural) == 1);
    CHECK(listed(broken_tcp, Problem::structural, "packet 2:", "TCP checksum"));
    Findings broken_header = judge(original, header, judged);
    CHECK(broken_header.count(Problem::structural) == 1);
    CHECK(listed(broken_header, Problem::structural, "packet 3:", "checksum at byte 24"));
  }
}

TEST_CASE("verify_captures honours VerifyJob::anon") {
  test::TempDir dir;
  AnonSetup anon = setup();
  std::vector<Bytes> original = original_packets();
  test::write_file(dir.file("original.pcap"), test::pcap_file(original));
  test::write_file(dir.file("good.pcap"), test::pcap_file(anonymized(original, anon)));
  test::write_file(dir.file("plain.pcap"), test::pcap_file(original));
  VerifyJob job;
  job.original = dir.file("original.pcap");
  job.tshark = false;
  job.anon = without_key(anon);
  job.sanitized = dir.file("good.pcap");
  CHECK(verify_captures(job).findings.ok());
  job.sanitized = dir.file("plain.pcap");  // nothing anonymized: every address is left
  Findings plain = verify_captures(job).findings;
  CHECK(plain.leaked(ByteClass::address) > 0);
  CHECK(plain.count(Problem::structural) == 0);
}

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
#include "verifier/compare_captures.h"
#include "verifier/self_check.h"
#include "verifier/walk_original.h"

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

// A DNS query without a UDP checksum; the masker zeroes its payload (policy v2, section 4).
Bytes udp_packet(const Bytes& payload = test::hex("1234 0100 0001 0000 0000 0000")) {
  return test::concat({test::ethernet_header(0x0800), test::ipv4_header(17, 8 + payload.size()),
                       test::hex("c350 0035 0014 0000"), payload});
}

Bytes masked_udp_packet() { return udp_packet(Bytes(12, 0)); }

// The connection with `payload_packets`: SYN, the client's stream, the server's reply, and a UDP packet.
std::vector<Bytes> connection(const std::vector<Bytes>& payload_packets, const Bytes& reply,
                              const Bytes& udp = udp_packet()) {
  std::vector<Bytes> packets = {test::tcp_packet(kIsn, kTcpSyn, {})};
  packets.insert(packets.end(), payload_packets.begin(), payload_packets.end());
  packets.push_back(test::tcp_packet(5000, 0x18, reply, 443, 40000));
  packets.push_back(udp);
  return packets;
}

Bytes mask(const Bytes& capture, const KeepRuleSet& rules, const test::TempDir& dir, OutputCheck* check = nullptr,
           const PolicySettings& policy = {}) {
  MaskJob job;
  job.input = CaptureInput::in_memory(capture);
  job.output = dir.file("masked.pcap");
  job.check = check;
  job.policy = policy;
  mask_capture(job, rules);
  return test::read_file(job.output);
}

}  // namespace

TEST_CASE("mask_capture keeps the kept bytes, zeroes the rest of each payload and repairs checksums") {
  test::TempDir dir;
  TlsStream stream = test::four_records();
  Bytes reply(64, 0x5a);  // the server's direction has no rules: all of it is masked
  Bytes input = test::pcap_file(connection(test::stream_packets(kIsn, stream.bytes, test::kFourRecordCuts), reply));
  Bytes expected = test::pcap_file(connection(test::stream_packets(kIsn, stream.masked(), test::kFourRecordCuts),
                                              Bytes(reply.size(), 0), masked_udp_packet()));
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
  CHECK(mask(input, rules_for(stream, input), dir) == test::pcap_file(connection(masked, {}, masked_udp_packet())));
}

TEST_CASE(
    "mask_capture drops Decryption Secrets Blocks, names itself in the SHB and declares the section length unknown") {
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
  // The default settings' hash: FNV-1a 64 of their canonical string (common/policy.h).
  Bytes named = test::concat(
      {test::pcapng_option(4, "pktmask 0.1.0 (masking policy 2, profile default, settings 8e26daf20ca06182)"),
       test::pcapng_option(0, "")});
  Bytes expected = test::concat({test::pcapng_section_header(-1, named), test::pcapng_ethernet_interface(),
                                 blocks(connection(test::stream_packets(kIsn, stream.masked(), test::kFourRecordCuts),
                                                   {}, masked_udp_packet()))});
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
    verify::SelfCheck check(CaptureInput::in_memory(input), "masked.pcap", TornTail::refuse, PolicySettings{},
                            AnonSetup{});
    CHECK(mask(input, rules, dir, &check) ==
          test::pcap_file(
              connection(test::stream_packets(kIsn, stream.masked(), test::kFourRecordCuts), {}, masked_udp_packet())));
  }
  std::filesystem::remove(dir.file("masked.pcap"));
  // Stream byte 100 lies in an ApplicationData body, carried by frame 5
  // (SYN, then [0,20) [20,47) [47,48) [48,152)). Rules stay sorted, as the contract requires.
  std::vector<KeepRule>& kept = rules.flows[0].rules;
  kept.insert(kept.begin() + 2, {kStreamStart + 100, kStreamStart + 101, RuleType::tls_record, 23});
  verify::SelfCheck check(CaptureInput::in_memory(input), "masked.pcap", TornTail::refuse, PolicySettings{},
                          AnonSetup{});
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

namespace {

// A little-endian pcapng section with metadata of every kind section 8 names,
// around one SYN (which every profile leaves as it is).
struct MetadataCapture {
  Bytes end = test::pcapng_option(0, "");
  Bytes shb_options = test::concat({test::pcapng_option(1, "who took it"), test::pcapng_option(4, "dumpcap 4.0")});
  Bytes idb_name = test::pcapng_option(2, "eth0");
  Bytes idb_tsresol = test::pcapng_option(9, std::string(1, '\x06'));
  Bytes epb_comment = test::pcapng_option(1, "the login");
  Bytes epb_flags = test::pcapng_option(2, std::string("\x01\0\0\0", 4));
  Bytes isb_comment = test::pcapng_option(1, "stats");
  Bytes isb_ifrecv = test::pcapng_option(4, std::string(8, '\x02'));
  Bytes syn = test::tcp_packet(kIsn, kTcpSyn, {});

  Bytes idb(const Bytes& options) const {
    return test::pcapng_block(1, test::concat({test::hex("0100 0000 00000000"), options}));
  }
  Bytes epb(const Bytes& options) const {
    Bytes packet = test::pcapng_packet(syn);
    Bytes body(packet.begin() + 8, packet.end() - 4);
    return test::pcapng_block(6, test::concat({body, options}));
  }
  Bytes isb(const Bytes& options) const {
    return test::pcapng_block(5, test::concat({test::hex("00000000 06000000 00100000"), options}));
  }
  Bytes nrb() const { return test::pcapng_block(4, test::hex("0100 0800 0a000001 686f7300 0000 0000")); }
  Bytes custom() const { return test::pcapng_block(0xbad, test::hex("00007ed9 41424344")); }
  Bytes unknown() const { return test::pcapng_block(0x999, test::hex("01020304")); }

  Bytes input() const {
    Bytes body =
        test::concat({idb(test::concat({idb_name, idb_tsresol, end})), nrb(),
                      test::pcapng_secrets("CLIENT_RANDOM 00 11\n"), epb(test::concat({epb_comment, epb_flags, end})),
                      custom(), unknown(), isb(test::concat({isb_comment, isb_ifrecv, end}))});
    return test::concat(
        {test::pcapng_section_header(static_cast<int64_t>(body.size()), test::concat({shb_options, end})), body});
  }
};

// pktmask's shb_userappl under the default profile; the hash is FNV-1a 64 of
// the settings' canonical string (common/policy.h), computed apart.
Bytes named(const std::string& hash) {
  return test::pcapng_option(4, "pktmask 0.1.0 (masking policy 2, profile default, settings " + hash + ")");
}

}  // namespace

TEST_CASE("mask_capture under metadata=scrub keeps only the options section 8 lists, and no other blocks") {
  test::TempDir dir;
  MetadataCapture c;
  Bytes input = c.input();
  Bytes expected = test::concat({test::pcapng_section_header(-1, test::concat({named("8e26daf20ca06182"), c.end})),
                                 c.idb(test::concat({c.idb_tsresol, c.end})), c.epb(test::concat({c.epb_flags, c.end})),
                                 c.isb(test::concat({c.isb_ifrecv, c.end}))});
  KeepRuleSet rules;
  rules.source = fingerprint_of(input);
  verify::SelfCheck check(CaptureInput::in_memory(input), "masked.pcap", TornTail::refuse, PolicySettings{},
                          AnonSetup{});
  CHECK(mask(input, rules, dir, &check) == expected);
}

TEST_CASE("mask_capture under metadata=keep drops only secrets and replaces the SHB's shb_userappl") {
  test::TempDir dir;
  MetadataCapture c;
  Bytes input = c.input();
  Bytes expected =
      test::concat({test::pcapng_section_header(
                        -1, test::concat({test::pcapng_option(1, "who took it"), named("05f74fd8b2449210"), c.end})),
                    c.idb(test::concat({c.idb_name, c.idb_tsresol, c.end})), c.nrb(),
                    c.epb(test::concat({c.epb_comment, c.epb_flags, c.end})), c.custom(), c.unknown(),
                    c.isb(test::concat({c.isb_comment, c.isb_ifrecv, c.end}))});
  KeepRuleSet rules;
  rules.source = fingerprint_of(input);
  PolicySettings keep;
  keep.metadata = MetadataMode::keep;
  rules.policy = keep;
  Bytes output;
  {
    verify::SelfCheck check(CaptureInput::in_memory(input), "masked.pcap", TornTail::refuse, keep, AnonSetup{});
    output = mask(input, rules, dir, &check, keep);
    CHECK(output == expected);
  }
  // Judged as metadata=scrub, the same output leaks: the verifier names each block and option.
  verify::Findings findings(10);
  PolicySettings scrub;
  std::vector<verify::KeptRanges> policy =
      verify::walk_original(CaptureInput::in_memory(input), TornTail::refuse, scrub);
  verify::compare_captures(CaptureInput::in_memory(input), CaptureInput::in_memory(output), policy, scrub,
                           TornTail::refuse, findings, {});
  CHECK(findings.leaked(verify::ByteClass::metadata) == 7);  // NRB, custom, unknown; SHB, IDB, EPB, ISB options
}

TEST_CASE("mask_capture with annotate comments the EPB of each changed packet, after the options it keeps") {
  test::TempDir dir;
  MetadataCapture c;
  // The SYN is left as it is (no comment); the DNS query's 12 payload bytes are zeroed.
  Bytes udp = test::pcapng_packet(udp_packet());
  Bytes udp_body(udp.begin() + 8, udp.end() - 4);
  Bytes body = test::concat({c.idb({}), c.epb(test::concat({c.epb_flags, c.end})),
                             test::pcapng_block(6, test::concat({udp_body, c.epb_flags, c.end}))});
  Bytes input = test::concat({test::pcapng_section_header(static_cast<int64_t>(body.size())), body});
  // FNV-1a 64 of the default canonical string followed by " annotate=on", computed apart.
  Bytes shb = test::pcapng_option(4, "pktmask 0.1.0 (masking policy 2, profile default, settings c8000000e7c14378)");
  // Hand-written: 8 bytes of block header, the masked query's 20 fixed bytes and 56 of padded data,
  // epb_flags (8), opt_comment (code 1, 28 bytes, no padding), opt_endofopt, the length again: 132.
  Bytes masked = test::pcapng_packet(masked_udp_packet());
  std::string comment = "pktmask: zeroed 12 udp bytes";
  Bytes annotated_epb = test::concat({test::hex("06000000 84000000"), Bytes(masked.begin() + 8, masked.end() - 4),
                                      test::hex("02000400 01000000 01001c00"), Bytes(comment.begin(), comment.end()),
                                      test::hex("00000000 84000000")});
  Bytes expected = test::concat({test::pcapng_section_header(-1, test::concat({shb, c.end})), c.idb({}),
                                 c.epb(test::concat({c.epb_flags, c.end})), annotated_epb});
  REQUIRE(annotated_epb.size() == 132);
  PolicySettings annotate;
  annotate.annotate = true;
  KeepRuleSet rules;
  rules.source = fingerprint_of(input);
  rules.policy = annotate;
  verify::SelfCheck check(CaptureInput::in_memory(input), "masked.pcap", TornTail::refuse, annotate, AnonSetup{});
  CHECK(mask(input, rules, dir, &check, annotate) == expected);
}

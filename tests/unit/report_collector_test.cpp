// The report collector on small captures built in memory, marked and masked
// as `pktmask report` does (native engine, no output): every expected value
// is counted by hand from how the capture was built.

#include <catch2/catch.hpp>

#include "common/anon/address_anonymizer.h"
#include "common/anon/address_text.h"
#include "marker/marker.h"
#include "masker/masker.h"
#include "packet_bytes.h"
#include "report/byte_series.h"
#include "report/report_collector.h"

using namespace pktmask;
using namespace pktmask::report;
using test::Bytes;
using test::kIsn;

namespace {

constexpr uint8_t kSynAck = 0x12;
constexpr uint8_t kPshAck = 0x18;
constexpr uint8_t kRstAck = 0x14;
constexpr uint32_t kServerIsn = 5000;
constexpr int64_t kSecond = 1000000;

// 10.0.0.1:sport -> 10.0.0.2:dport, or back, with correct checksums.
Bytes tcp_between(bool from_client, uint32_t seq, uint8_t flags, const Bytes& payload = {},
                  uint16_t client_port = 40000) {
  std::string client = "0a000001", server = "0a000002";
  uint16_t sport = from_client ? client_port : 443, dport = from_client ? 443 : client_port;
  Bytes packet = test::concat(
      {test::ethernet_header(0x0800),
       test::ipv4_header(6, 20 + payload.size(), from_client ? client : server, from_client ? server : client),
       test::tcp_header(sport, dport, seq, flags), payload});
  test::fix_ipv4_tcp_checksum(packet, 34);
  return packet;
}

// A 12-byte DNS-like datagram 10.0.0.1:50000 -> 10.0.0.2:53, or back, without a UDP checksum.
Bytes udp_between(bool from_client) {
  Bytes payload = test::hex("1234 0100 0001 0000 0000 0000");
  return test::concat({test::ethernet_header(0x0800),
                       test::ipv4_header(17, 8 + payload.size(), from_client ? "0a000001" : "0a000002",
                                         from_client ? "0a000002" : "0a000001"),
                       from_client ? test::hex("c350 0035 0014 0000") : test::hex("0035 c350 0014 0000"), payload});
}

struct Run {
  Report report;
  MaskStats stats;
};

Run report_on(const Bytes& capture, const PolicySettings& policy = {}, const AnonSetup& anon = {}) {
  MarkJob mark;
  mark.input = CaptureInput::in_memory(capture);
  mark.engine = Engine::native;
  mark.policy = policy;
  KeepRuleSet rules = mark_native(mark);
  ReportCollector collector(rules, policy, anon, ReportHeader{.file = "test.pcap", .subject = "original"});
  MaskJob job;
  job.input = CaptureInput::in_memory(capture);
  job.output = "";
  job.observer = &collector;
  job.policy = policy;
  job.anon = anon;
  MaskStats stats = mask_capture(job, rules);
  return {collector.finish(stats), stats};
}

uint64_t zeroed_of(const MaskStats& stats) {
  uint64_t zeroed = stats.payload.tcp_payload_bytes_masked;
  for (const ByteCounts& counts : stats.payload.bytes) zeroed += counts.zeroed;
  return zeroed;
}

std::vector<std::string> values(const IdentifierList& list) {
  std::vector<std::string> out;
  for (const Identifier& item : list.items) out.push_back(item.value);
  return out;
}

struct MarkSeen {
  int64_t second;
  MarkKind kind;
  bool from_client;
  bool operator==(const MarkSeen&) const = default;
};

std::vector<MarkSeen> marks_of(const Connection& connection) {
  std::vector<MarkSeen> out;
  for (const TimelineMark& mark : connection.marks)
    out.push_back({mark.time_us / kSecond, mark.kind, mark.from_client});
  return out;
}

// The client's stream: Handshake (40) at 0, ApplicationData (100) at 45,
// Alert (2) at 150, ApplicationData (20) at 157.
Bytes client_stream() {
  return test::concat(
      {test::tls_record(22, 40), test::tls_record(23, 100), test::tls_record(21, 2), test::tls_record(23, 20)});
}

// One packet a second from second 1 (test::pcap_file).
std::vector<Bytes> tls_and_udp_packets() {
  Bytes stream = client_stream();
  auto client_data = [&](size_t from, size_t to) {
    return tcp_between(true, kIsn + 1 + static_cast<uint32_t>(from), kPshAck, test::slice(stream, from, to));
  };
  Bytes unknown_ethertype = test::concat({test::ethernet_header(0x88b5), test::filler(10, 0x42)});
  return {
      tcp_between(true, kIsn, kTcpSyn),                                       // 1
      tcp_between(false, kServerIsn, kSynAck),                                // 2
      tcp_between(false, kServerIsn + 1, kPshAck, test::tls_record(22, 30)),  // 3: the server's Handshake
      client_data(0, 45),                                                     // 4: Handshake
      client_data(45, 157),                                                   // 5: ApplicationData, Alert
      client_data(45, 157),                                                   // 6: all again: a retransmission
      client_data(162, 182),                                                  // 7: past a hole at 157: a gap
      udp_between(true),                                                      // 8
      udp_between(false),                                                     // 9
      tcp_between(false, kServerIsn + 36, kRstAck),                           // 10
      unknown_ethertype,                                                      // 11: undecoded
  };
}

}  // namespace

TEST_CASE("report collector: connections, records, marks, totals, identifiers and series of one run") {
  std::vector<Bytes> packets = tls_and_udp_packets();
  PolicySettings policy;
  policy.undecoded = UndecodedMode::keep;
  Run run = report_on(test::pcap_file(packets), policy);
  const Report& report = run.report;

  uint64_t captured = 0;
  for (const Bytes& packet : packets) captured += packet.size();
  const ReportHeader& header = report.header;
  CHECK(header.file == "test.pcap");
  CHECK(header.subject == "original");
  CHECK(header.format == "pcap");
  CHECK(header.link_types == std::vector<std::string>{"EN10MB"});
  CHECK(header.packets == 11);
  CHECK(header.bytes == captured);
  CHECK(header.first_time_us == 1 * kSecond);
  CHECK(header.last_time_us == 11 * kSecond);
  CHECK(header.anonymize.empty());
  CHECK(header.key_id.empty());
  CHECK(header.totals.zeroed == zeroed_of(run.stats));
  CHECK(header.totals.zeroed > 0);
  CHECK(header.totals.kept == captured - zeroed_of(run.stats));

  REQUIRE(report.connections.size() == 2);
  const Connection& tcp = report.connections[0];
  CHECK(tcp.id == 1);
  CHECK(tcp.transport == Transport::tcp);
  CHECK(tcp.client == "10.0.0.1:40000");
  CHECK(tcp.server == "10.0.0.2:443");
  CHECK(tcp.first_packet == 1);
  CHECK(tcp.first_time_us == 1 * kSecond);
  CHECK(tcp.last_time_us == 10 * kSecond);
  CHECK(tcp.packets == 8);
  // Records by type 20..24: the client's Handshake, ApplicationData and Alert, the server's Handshake.
  CHECK(tcp.records == std::array<uint64_t, 5>{0, 1, 2, 1, 0});
  CHECK(tcp.walk != "not_tls");
  CHECK(tcp.retransmissions == 1);
  CHECK(tcp.gaps == 1);
  CHECK(tcp.resets == 1);
  CHECK(tcp.marks_dropped == 0);
  CHECK(marks_of(tcp) == std::vector<MarkSeen>{
                             {3, MarkKind::handshake, false},
                             {4, MarkKind::handshake, true},
                             {5, MarkKind::application_data, true},
                             {5, MarkKind::alert, true},
                             {6, MarkKind::retransmission, true},
                             {6, MarkKind::application_data, true},
                             {6, MarkKind::alert, true},
                             {7, MarkKind::gap, true},
                             {10, MarkKind::reset, false},
                         });

  const Connection& udp = report.connections[1];
  CHECK(udp.id == 2);
  CHECK(udp.transport == Transport::udp);
  CHECK(udp.client == "10.0.0.1:50000");
  CHECK(udp.server == "10.0.0.2:53");
  CHECK(udp.first_packet == 8);
  CHECK(udp.packets == 2);
  CHECK(udp.walk == "none");
  // The DNS payloads are zeroed: 12 bytes in each datagram.
  CHECK(udp.bytes.zeroed == 24);
  CHECK(udp.bytes.kept == packets[7].size() + packets[8].size() - 24);

  const StillIdentifies& identifies = report.identifies;
  CHECK(values(identifies.ip_addresses) == std::vector<std::string>{"10.0.0.1", "10.0.0.2"});
  for (const Identifier& address : identifies.ip_addresses.items) {
    CHECK(address.count == 10);
    CHECK(address.first_packet == 1);
  }
  // Ethernet puts the destination first.
  CHECK(values(identifies.mac_addresses) == std::vector<std::string>{"02:00:00:00:00:02", "02:00:00:00:00:01"});
  CHECK(identifies.mac_addresses.items[0].count == 11);
  CHECK(identifies.server_names.items.empty());
  CHECK(identifies.pcapng_metadata.items.empty());
  REQUIRE(identifies.undecoded.items.size() == 1);
  CHECK(identifies.undecoded.items[0].value == "ethertype");
  CHECK(identifies.undecoded.items[0].count == 1);
  CHECK(identifies.undecoded.items[0].first_packet == 11);

  // Ten seconds from the first packet to the last: 1 ms bins doubled to 32
  // ms, the first width under which 10 s fit in 512 bins (16 ms needs 625).
  const ByteSeries& series = report.series;
  CHECK(series.start_us == 1 * kSecond);
  CHECK(series.bin_us == 32000);
  CHECK(series.bins.size() == 10 * kSecond / 32000 + 1);
  // Packet 2, the SYN-ACK, 1 s in: bin 31, all kept.
  REQUIRE(series.bins.size() > 31);
  CHECK(series.bins[31].kept == packets[1].size());
  CHECK(series.bins[31].zeroed == 0);
  Count sum;
  for (const Count& bin : series.bins) {
    sum.kept += bin.kept;
    sum.zeroed += bin.zeroed;
  }
  CHECK(sum.kept == header.totals.kept);
  CHECK(sum.zeroed == header.totals.zeroed);
}

TEST_CASE("report collector: the client is the sender of the SYN without ACK, and a new SYN starts a new row") {
  std::vector<Bytes> packets = {
      tcp_between(false, kServerIsn, kSynAck),             // 1: the SYN-ACK before the SYN
      tcp_between(true, kIsn, kTcpSyn),                    // 2
      tcp_between(false, kServerIsn + 1, kRstAck),         // 3
      tcp_between(true, 9000, kTcpSyn),                    // 4: a new connection on the same ports
      tcp_between(false, 7000, kSynAck),                   // 5
      tcp_between(false, 100, kPshAck, {1, 2, 3}, 40001),  // 6: another, its server heard first
  };
  Report report = report_on(test::pcap_file(packets)).report;
  REQUIRE(report.connections.size() == 3);
  const Connection& first = report.connections[0];
  CHECK(first.client == "10.0.0.1:40000");
  CHECK(first.server == "10.0.0.2:443");
  CHECK(first.packets == 3);
  CHECK(marks_of(first) == std::vector<MarkSeen>{{3, MarkKind::reset, false}});
  CHECK(first.walk == "not_tls");
  const Connection& second = report.connections[1];
  CHECK(second.client == "10.0.0.1:40000");
  CHECK(second.first_packet == 4);
  CHECK(second.packets == 2);
  // Without a SYN the first sender is taken for the client.
  const Connection& third = report.connections[2];
  CHECK(third.client == "10.0.0.2:443");
  CHECK(third.server == "10.0.0.1:40001");
}

TEST_CASE("report collector: anonymized endpoints and addresses are the ones the output holds") {
  AnonSetup anon;
  anon.settings.ip = true;
  AnonKey key;
  for (size_t i = 0; i < key.bytes.size(); ++i) key.bytes[i] = static_cast<uint8_t>(i * 7 + 3);
  anon.key = key;
  std::vector<Bytes> packets = {tcp_between(true, kIsn, kTcpSyn), tcp_between(false, kServerIsn, kSynAck)};
  Report report = report_on(test::pcap_file(packets), {}, anon).report;

  AddressAnonymizer mapping(key, anon.settings);
  auto mapped = [&](std::array<uint8_t, 4> address) {
    mapping.anonymize(AddressKind::ipv4, address.data(), address.data());
    return address_to_string(AddressKind::ipv4, address.data());
  };
  std::string client = mapped({10, 0, 0, 1}), server = mapped({10, 0, 0, 2});
  REQUIRE(client != "10.0.0.1");
  REQUIRE(report.connections.size() == 1);
  CHECK(report.connections[0].client == client + ":40000");
  CHECK(report.connections[0].server == server + ":443");
  CHECK(values(report.identifies.ip_addresses) == std::vector<std::string>{client, server});
  CHECK(report.header.anonymize == "ip preserve=special");
  CHECK(report.header.key_id == key_id(key));
}

TEST_CASE("report collector: pcapng options the output keeps, and the input's own pktmask application") {
  Bytes section = test::pcapng_section_header(
      -1, test::concat({test::pcapng_option(2, "Test Machine"), test::pcapng_option(4, "pktmask 0.9 (earlier)"),
                        test::pcapng_option(0, "")}));
  Bytes interface =
      test::pcapng_block(1, test::concat({test::hex("0100 0000 00000000"), test::pcapng_option(2, "eth0"),
                                          test::pcapng_option(9, std::string(1, '\x06')), test::pcapng_option(0, "")}));
  Bytes name_resolution = test::pcapng_block(4, test::hex("0000 0000"));
  Bytes capture = test::concat({section, interface, test::pcapng_packet(tcp_between(true, kIsn, kTcpSyn)),
                                name_resolution, test::pcapng_packet(tcp_between(true, kIsn, kTcpSyn))});

  Report scrubbed = report_on(capture).report;
  CHECK(scrubbed.header.format == "pcapng");
  CHECK(scrubbed.header.sanitized_by == "pktmask 0.9 (earlier)");
  std::vector<std::string> kept = values(scrubbed.identifies.pcapng_metadata);
  REQUIRE(kept.size() == 2);
  CHECK(kept[0].starts_with("shb_userappl: pktmask "));
  CHECK(kept[1] == "if_tsresol: 06");
  CHECK(scrubbed.identifies.pcapng_metadata.items[1].first_packet == 2);  // the second record

  PolicySettings keep;
  keep.metadata = MetadataMode::keep;
  IdentifierList listed = report_on(capture, keep).report.identifies.pcapng_metadata;
  kept = values(listed);
  REQUIRE(kept.size() == 5);
  CHECK(kept[0] == "shb_hardware: Test Machine");
  CHECK(kept[1].starts_with("shb_userappl: pktmask "));
  CHECK(kept[2] == "if_name: eth0");
  CHECK(kept[3] == "if_tsresol: 06");
  CHECK(kept[4] == "block: Name Resolution Block");
  CHECK(listed.items[4].first_packet == 4);
}

TEST_CASE("report collector: a pcapng block is numbered as the output holds it, after blocks left out") {
  Bytes section = test::pcapng_section_header(-1, {});
  Bytes interface = test::pcapng_block(1, test::hex("0100 0000 00000000"));
  Bytes name_resolution = test::pcapng_block(4, test::hex("0000 0000"));
  // Interface 0, timestamp 0, isb_ifrecv = 25.
  Bytes statistics = test::pcapng_block(
      5, test::concat({test::hex("00000000 00000000 00000000"),
                       test::pcapng_option(4, std::string("\x19\0\0\0\0\0\0\0", 8)), test::pcapng_option(0, "")}));
  Bytes capture = test::concat({section, interface, name_resolution, statistics});

  // The default settings leave the Name Resolution Block (record 3) out: the
  // statistics block is the output's third.
  IdentifierList listed = report_on(capture).report.identifies.pcapng_metadata;
  REQUIRE(listed.items.size() == 3);
  CHECK(listed.items[0].value.starts_with("shb_userappl: pktmask "));
  CHECK(listed.items[1].value == "block: Interface Statistics Block");
  CHECK(listed.items[1].first_packet == 3);
  CHECK(listed.items[2].value == "isb_ifrecv: 1900000000000000");
  CHECK(listed.items[2].first_packet == 3);
}

TEST_CASE("report collector: a walk stopped by an implausible header, without the bytes the output zeroes") {
  // A Handshake record, then a header of content type 0x17 and version 0x02 0x03: no TLS version.
  Bytes stream = test::concat({test::tls_record(22, 40), test::hex("1702030078"), test::filler(0x78, 0x55)});
  std::vector<Bytes> packets = {tcp_between(true, kIsn, kTcpSyn), tcp_between(false, kServerIsn, kSynAck),
                                tcp_between(true, kIsn + 1, kPshAck, stream)};
  Report report = report_on(test::pcap_file(packets)).report;
  REQUIRE(report.connections.size() == 1);
  CHECK(report.connections[0].walk == "stopped");
  CHECK(report.connections[0].stop_reason == "implausible header");
}

TEST_CASE("byte series: a packet timed before the first counts in bin 0") {
  ByteSeriesBuilder builder;
  builder.add(5000, {.kept = 1, .zeroed = 0});
  builder.add(1000, {.kept = 2, .zeroed = 3});
  builder.add(7500, {.kept = 4, .zeroed = 0});
  ByteSeries series = builder.take();
  CHECK(series.start_us == 5000);
  CHECK(series.bin_us == 1000);
  REQUIRE(series.bins.size() == 3);
  CHECK(series.bins[0].kept == 3);
  CHECK(series.bins[0].zeroed == 3);
  CHECK(series.bins[2].kept == 4);
}

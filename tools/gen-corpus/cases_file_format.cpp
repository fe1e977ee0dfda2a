// Cases about the capture file around the packets: pcap variants and
// pcapng sections, interfaces and blocks.

#include "byte_writer.h"
#include "corpus_case.h"
#include "pcapng_writer.h"
#include "tls_conversation.h"
#include "tls_messages.h"

namespace gen_corpus {

namespace {

constexpr uint64_t ns_per_second = 1'000'000'000;
constexpr uint32_t example_enterprise = 32473;  // RFC 5612 documentation PEN

corpus_case pcap_case(std::string name, std::string description, pcap_layout layout, uint64_t clock_start_ns,
                      uint64_t clock_step_ns) {
  corpus_case c{std::move(name), std::move(description), capture(layout)};
  c.cap.set_clock(clock_start_ns, clock_step_ns);
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv4_route(1), 1));
  tls12_session(conn, r, 2);
  return c;
}

pcap_layout pcap_format(pcap_layout::format magic, bool big_endian) {
  pcap_layout layout;
  layout.magic = magic;
  layout.big_endian = big_endian;
  return layout;
}

corpus_case pcapng_case(std::string name, std::string description) {
  return {std::move(name), std::move(description), capture()};
}

pcapng_interface interface(uint32_t link_type, std::string name, std::optional<uint8_t> tsresol = std::nullopt) {
  pcapng_interface i;
  i.link_type = link_type;
  i.name = std::move(name);
  i.tsresol = tsresol;
  return i;
}

// Runs one TLS 1.2 session on each connection, interleaved flight by flight.
void interleaved_sessions(std::vector<tcp_connection>& conns, rng& r) {
  for (auto& conn : conns) {
    conn.handshake();
  }
  for (auto& conn : conns) {
    tls12_handshake(conn, r);
  }
  for (auto& conn : conns) {
    app_data_round(conn, r, 120, 640);
  }
  for (auto& conn : conns) {
    tls_close(conn, r);
  }
}

corpus_case pcapng_multi_if() {
  auto c = pcapng_case("pcapng_multi_if",
                       "One section, four interfaces (Ethernet, raw IP, Linux SLL, BSD null) with "
                       "if_tsresol 10^-6, 10^-9, 2^-20, 10^-3 and an if_tsoffset; flows interleaved");
  rng r = rng::for_name(c.name);
  c.cap.begin_section(false);
  const auto eth = c.cap.add_interface(interface(linktype::ethernet, "eth0"));
  const auto raw = c.cap.add_interface(interface(linktype::raw, "tun0", 9));
  const auto sll = c.cap.add_interface(interface(linktype::linux_sll, "any", 0x80 | 20));
  auto null_if = interface(linktype::null, "lo0", 3);
  null_if.tsoffset = 1'600'000'000;
  const auto null = c.cap.add_interface(null_if);

  const std::vector<std::pair<link_spec, uint32_t>> links = {{ethernet_link(), eth},
                                                             {raw_ip_link(linktype::raw), raw},
                                                             {linux_sll_link(), sll},
                                                             {bsd_null_link(false, 24), null}};
  std::vector<tcp_connection> conns;
  int host = 1;
  for (const auto& [link, id] : links) {
    auto config = connection_on(link, host % 2 ? ipv4_route(host) : ipv6_route(host), host);
    config.interface_id = id;
    conns.emplace_back(c.cap, config);
    ++host;
  }
  interleaved_sessions(conns, r);
  return c;
}

corpus_case pcapng_big_endian() {
  auto c = pcapng_case("pcapng_big_endian",
                       "Big-endian pcapng: SHB, IDB with if_tsresol 9, EPBs with comment and "
                       "flags options");
  rng r = rng::for_name(c.name);
  c.cap.begin_section(true);
  c.cap.add_interface(interface(linktype::ethernet, "eth0", 9));
  c.cap.set_clock(1'700'000'000 * ns_per_second + 987'654'321, 1'000'003);
  tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv4_route(1), 1));
  conn.handshake();
  c.cap.comment_next("first TLS record of the capture");
  tls12_handshake(conn, r);
  c.cap.comment_next("application data, big-endian options");
  app_data_round(conn, r, 150, 900);
  tls_close(conn, r);
  return c;
}

corpus_case pcapng_multi_section() {
  auto c = pcapng_case("pcapng_multi_section",
                       "Three sections: little-endian (Ethernet + raw IP), big-endian (Linux SLL2), "
                       "little-endian (Ethernet); interface ids restart in each");
  rng r = rng::for_name(c.name);
  c.cap.begin_section(false, "section one");
  c.cap.add_interface(interface(linktype::ethernet, "eth0"));
  const auto raw = c.cap.add_interface(interface(linktype::raw, "tun0", 9));
  {
    tcp_connection a(c.cap, connection_on(ethernet_link(), ipv4_route(1), 1));
    tls12_session(a, r, 1);
    auto config = connection_on(raw_ip_link(linktype::raw), ipv6_route(2), 2);
    config.interface_id = raw;
    tcp_connection b(c.cap, config);
    tls12_session(b, r, 1);
  }
  c.cap.begin_section(true, "section two");
  c.cap.add_interface(interface(linktype::linux_sll2, "any", 6));
  {
    tcp_connection conn(c.cap, connection_on(linux_sll2_link(), ipv4_route(3), 3));
    tls12_session(conn, r, 1);
  }
  c.cap.begin_section(false, "section three");
  c.cap.add_interface(interface(linktype::ethernet, "eth1"));
  {
    tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv6_route(4), 4));
    tls12_session(conn, r, 1);
  }
  return c;
}

corpus_case pcapng_spb() {
  auto c = pcapng_case("pcapng_spb",
                       "Handshake in EPBs, the rest in Simple Packet Blocks (no timestamp, "
                       "interface 0, snaplen 0 so never cut)");
  rng r = rng::for_name(c.name);
  c.cap.begin_section(false);
  c.cap.add_interface(interface(linktype::ethernet, "eth0"));
  tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv4_route(1), 1));
  conn.handshake();
  c.cap.use_block(packet_block::simple);
  tls12_handshake(conn, r);
  app_data_round(conn, r, 150, 900);
  tls_close(conn, r);
  return c;
}

corpus_case pcapng_spb_snaplen() {
  auto c = pcapng_case("pcapng_spb_snaplen",
                       "Simple Packet Blocks on an interface with snaplen 162: captured length "
                       "is min(original length, 162), the block padded to 164");
  rng r = rng::for_name(c.name);
  c.cap.begin_section(false);
  auto eth = interface(linktype::ethernet, "eth0");
  eth.snaplen = 162;
  c.cap.add_interface(eth);
  c.cap.use_block(packet_block::simple);
  tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv4_route(1), 1));
  tls12_session(conn, r, 2);
  return c;
}

corpus_case pcapng_obsolete_packet_block() {
  auto c = pcapng_case("pcapng_obsolete_packet_block", "Obsolete Packet Blocks (type 2) with drops count and comments");
  rng r = rng::for_name(c.name);
  c.cap.begin_section(false);
  c.cap.add_interface(interface(linktype::ethernet, "eth0"));
  c.cap.use_block(packet_block::obsolete);
  tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv4_route(1), 1));
  c.cap.comment_next("obsolete packet block");
  tls12_session(conn, r, 1);
  return c;
}

// Name Resolution Block: one IPv4 record, then nrb_record_end.
std::vector<uint8_t> name_resolution_body(bool big_endian) {
  byte_writer w(big_endian);
  const std::string name = "www.example.com";
  w.u16(1);  // nrb_record_ipv4
  w.u16(static_cast<uint16_t>(4 + name.size() + 1));
  w.bytes(std::vector<uint8_t>{198, 51, 100, 21});
  w.text(name);
  w.u8(0);
  w.pad_to_multiple_of(4);
  w.u32(0);  // nrb_record_end
  return w.take();
}

// Interface Statistics Block with isb_ifrecv and isb_ifdrop.
std::vector<uint8_t> interface_statistics_body(bool big_endian) {
  byte_writer w(big_endian);
  w.u32(0);           // interface id
  w.u32(0x00060a3b);  // timestamp high
  w.u32(0x12345678);  // timestamp low
  w.u16(4);
  w.u16(8);
  w.u64(25);
  w.u16(5);
  w.u16(8);
  w.u64(0);
  w.u32(0);  // opt_endofopt
  return w.take();
}

// Decryption Secrets Block with a TLS key log line.
std::vector<uint8_t> decryption_secrets_body(bool big_endian) {
  const std::string line =
      "CLIENT_RANDOM "
      "5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f "
      "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
      "00112233445566778899aabbccddeeff\n";
  byte_writer w(big_endian);
  w.u32(0x544c534b);  // TLS key log
  w.u32(static_cast<uint32_t>(line.size()));
  w.text(line);
  w.pad_to_multiple_of(4);
  return w.take();
}

corpus_case pcapng_custom_block() {
  auto c = pcapng_case("pcapng_custom_block",
                       "Blocks to copy through between packets: Custom Blocks 0xbad and "
                       "0x40000bad, an unknown local-use type, NRB, ISB and a Decryption Secrets Block");
  rng r = rng::for_name(c.name);
  c.cap.begin_section(false);
  const bool be = c.cap.section_big_endian();
  const std::vector<uint8_t> note = {'p', 'k', 't', 'm', 'a', 's', 'k', ' ', 'c', 'o', 'r', 'p', 'u', 's'};
  c.cap.add_block(0x00000bad, custom_block_body(be, example_enterprise, note));
  c.cap.add_interface(interface(linktype::ethernet, "eth0"));
  tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv4_route(1), 1));
  conn.handshake();
  c.cap.add_block(4, name_resolution_body(be));
  tls12_handshake(conn, r);
  c.cap.add_block(0x0000000a, decryption_secrets_body(be));
  c.cap.add_block(0x80000a01, std::vector<uint8_t>{0x16, 0x03, 0x03, 0x00, 0x04, 0xde, 0xad, 0xbe});
  app_data_round(conn, r, 150, 900);
  c.cap.add_block(0x40000bad, custom_block_body(be, example_enterprise, opaque(r, 21)));
  tls_close(conn, r);
  c.cap.add_block(5, interface_statistics_body(be));
  return c;
}

}  // namespace

std::vector<corpus_case> file_format_cases() {
  const uint64_t second = 1'700'000'000 * ns_per_second;
  using f = pcap_layout::format;
  std::vector<corpus_case> cases;
  cases.push_back(pcap_case("pcap_ns", "Nanosecond pcap (magic 0xa1b23c4d), little-endian",
                            pcap_format(f::nanosecond, false), second + 123'456'789, 1'234'567));
  cases.push_back(pcap_case("pcap_big_endian", "Microsecond pcap written big-endian", pcap_format(f::microsecond, true),
                            second + 500'000'000, 2'000'000));
  cases.push_back(pcap_case("pcap_ns_big_endian", "Nanosecond pcap written big-endian",
                            pcap_format(f::nanosecond, true), second + 1, 999'999'937));
  cases.push_back(pcap_case("pcap_modified",
                            "Kuznetzov modified pcap (magic 0xa1b2cd34, 24-byte record headers "
                            "with ifindex, protocol, pkt_type)",
                            pcap_format(f::modified, false), second, 3'000));
  cases.push_back(pcapng_multi_if());
  cases.push_back(pcapng_big_endian());
  cases.push_back(pcapng_multi_section());
  cases.push_back(pcapng_spb());
  cases.push_back(pcapng_spb_snaplen());
  cases.push_back(pcapng_obsolete_packet_block());
  cases.push_back(pcapng_custom_block());
  return cases;
}

}  // namespace gen_corpus

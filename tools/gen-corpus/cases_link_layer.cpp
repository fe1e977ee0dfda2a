// One case per link type: a short TLS session per flow, so the tool must
// find the IP header behind every kind of link header.

#include "corpus_case.h"
#include "tls_conversation.h"

namespace gen_corpus {

namespace {

struct flow {
  link_spec link;
  ip_route route;
};

corpus_case link_case(std::string name, std::string description, pcap_layout layout, const std::vector<flow>& flows) {
  corpus_case c{std::move(name), std::move(description), capture(layout)};
  rng r = rng::for_name(c.name);
  int host = 1;
  for (const auto& f : flows) {
    tcp_connection conn(c.cap, connection_on(f.link, f.route, host++));
    tls12_session(conn, r, 1);
  }
  return c;
}

pcap_layout pcap_of(uint32_t link_type, bool big_endian = false) {
  pcap_layout layout;
  layout.link_type = link_type;
  layout.big_endian = big_endian;
  return layout;
}

link_spec with_trailer(std::vector<uint8_t> trailer) {
  link_spec link = ethernet_link();
  link.trailer = std::move(trailer);
  return link;
}

}  // namespace

std::vector<corpus_case> link_layer_cases() {
  const auto v4 = ipv4_route(1);
  const auto v6 = ipv6_route(2);
  const auto v6b = ipv6_route(3);
  std::vector<corpus_case> cases;
  cases.push_back(link_case("ethernet", "Ethernet II, IPv4 and IPv6", pcap_of(linktype::ethernet),
                            {{ethernet_link(), v4}, {ethernet_link(), v6}}));
  cases.push_back(link_case("vlan_8021q", "One 802.1Q tag (VLAN 100 for IPv4, 200 for IPv6)",
                            pcap_of(linktype::ethernet),
                            {{vlan_link({{ethertype::vlan, 100}}), v4}, {vlan_link({{ethertype::vlan, 200}}), v6}}));
  cases.push_back(link_case("qinq_8021ad", "802.1ad outer tag (0x88a8) with one and with two inner 802.1Q tags",
                            pcap_of(linktype::ethernet),
                            {{vlan_link({{ethertype::qinq, 10}, {ethertype::vlan, 100}}), v4},
                             {vlan_link({{ethertype::qinq, 10}, {ethertype::vlan, 20}, {ethertype::vlan, 300}}), v6}}));
  cases.push_back(link_case("mpls_stack", "MPLS label stacks of 2 (IPv4) and 3 (IPv6) labels",
                            pcap_of(linktype::ethernet),
                            {{mpls_link({16, 1001}), v4}, {mpls_link({16, 17, 2002}), v6}}));
  cases.push_back(link_case("pppoe_session", "PPPoE session stage, PPP protocols 0x0021 and 0x0057",
                            pcap_of(linktype::ethernet), {{pppoe_link(), v4}, {pppoe_link(), v6}}));
  cases.push_back(link_case("linux_sll", "Linux cooked capture v1 (linktype 113)", pcap_of(linktype::linux_sll),
                            {{linux_sll_link(), v4}, {linux_sll_link(), v6}}));
  cases.push_back(link_case("linux_sll2", "Linux cooked capture v2 (linktype 276)", pcap_of(linktype::linux_sll2),
                            {{linux_sll2_link(), v4}, {linux_sll2_link(), v6}}));
  for (const uint32_t raw : {linktype::raw, linktype::raw_12, linktype::raw_14}) {
    const std::string name = raw == linktype::raw ? "raw_ip" : "raw_ip_" + std::to_string(raw);
    cases.push_back(link_case(name, "Raw IP, linktype " + std::to_string(raw) + ", IPv4 and IPv6", pcap_of(raw),
                              {{raw_ip_link(raw), v4}, {raw_ip_link(raw), v6}}));
  }
  cases.push_back(link_case("ipv4_linktype", "Raw IPv4 (linktype 228)", pcap_of(linktype::ipv4),
                            {{raw_ip_link(linktype::ipv4), v4}}));
  cases.push_back(link_case("ipv6_linktype", "Raw IPv6 (linktype 229)", pcap_of(linktype::ipv6),
                            {{raw_ip_link(linktype::ipv6), v6}}));
  cases.push_back(
      link_case("bsd_null_le",
                "BSD null (linktype 0), little-endian family words: AF_INET 2, "
                "AF_INET6 24 and 30",
                pcap_of(linktype::null),
                {{bsd_null_link(false, 24), v4}, {bsd_null_link(false, 24), v6}, {bsd_null_link(false, 30), v6b}}));
  cases.push_back(link_case("bsd_null_be",
                            "BSD null (linktype 0) with big-endian family words (2, 28) in a "
                            "little-endian file",
                            pcap_of(linktype::null), {{bsd_null_link(true, 28), v4}, {bsd_null_link(true, 28), v6}}));
  cases.push_back(link_case("bsd_null_be_file", "BSD null (linktype 0), big-endian file and big-endian family words",
                            pcap_of(linktype::null, true),
                            {{bsd_null_link(true, 24), v4}, {bsd_null_link(true, 24), v6}}));
  cases.push_back(link_case("bsd_loop", "BSD loop (linktype 108): family always big-endian", pcap_of(linktype::loop),
                            {{bsd_loop_link(24), v4}, {bsd_loop_link(24), v6}, {bsd_loop_link(30), v6b}}));
  cases.push_back(link_case("ethernet_trailer",
                            "Ethernet frames with non-zero bytes after the IP packet (4-byte "
                            "FCS-like, 18-byte, 2-byte): trailers, zeroed",
                            pcap_of(linktype::ethernet),
                            {{with_trailer({0x5f, 0x3a, 0x91, 0xc4}), v4},
                             {with_trailer({0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc,
                                            0xdd, 0xee, 0xff, 0x16, 0x03, 0x01}),
                              v6},
                             {with_trailer({0xaa, 0xbb}), ipv4_route(4)}}));
  return cases;
}

}  // namespace gen_corpus

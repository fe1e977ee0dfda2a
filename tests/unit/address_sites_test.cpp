// Where the decoder finds addresses (AddressLayout): one test per place an
// address lies, on packets built byte by byte (address_packets.h); every
// expected offset is counted by hand from how the packet is built.

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "address_packets.h"
#include "common/decode/decoder.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;

namespace {

constexpr AddressKind v4 = AddressKind::ipv4;
constexpr AddressKind v6 = AddressKind::ipv6;
constexpr AddressKind mac = AddressKind::mac;

struct Site {
  uint32_t offset;
  AddressKind kind;
  bool operator==(const Site&) const = default;
};
struct Checksum {
  uint32_t field;
  uint32_t start;
  uint32_t length;
  uint64_t pseudo_sites;
  bool zero_means_absent;
  bool operator==(const Checksum&) const = default;
};

std::vector<Site> sites_of(const DecodedPacket& decoded) {
  std::vector<Site> sites;
  for (size_t i = 0; i < decoded.addresses.site_count; ++i)
    sites.push_back({decoded.addresses.sites[i].offset, decoded.addresses.sites[i].kind});
  return sites;
}

// In the decoder's order, which the test states as it reads the headers.
std::vector<Checksum> checksums_of(const DecodedPacket& decoded) {
  std::vector<Checksum> checksums;
  for (size_t i = 0; i < decoded.addresses.checksum_count; ++i) {
    const AddressChecksum& c = decoded.addresses.checksums[i];
    checksums.push_back({c.field_offset, c.start, c.length, c.pseudo_sites, c.zero_means_absent});
  }
  return checksums;
}

std::vector<Site> plus(std::vector<Site> sites, std::initializer_list<Site> more) {
  sites.insert(sites.end(), more);
  return sites;
}

uint64_t bits(std::initializer_list<int> indices) {
  uint64_t set = 0;
  for (int i : indices) set |= uint64_t{1} << i;
  return set;
}

DecodedPacket decode(const test::AddressPacket& packet, uint32_t link_type = 1) {
  DecodedPacket decoded = decode_packet(link_type, packet.bytes);
  CHECK_FALSE(decoded.addresses.overflow);
  CHECK_FALSE(decoded.addresses.cut);
  return decoded;
}

}  // namespace

TEST_CASE("address sites: Ethernet, IPv4 and TCP") {
  DecodedPacket decoded = decode(test::tcp_ipv4());
  CHECK(sites_of(decoded) == std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}});
  CHECK(checksums_of(decoded) == std::vector<Checksum>{{24, 14, 20, 0, false}, {50, 34, 27, bits({2, 3}), false}});
}

TEST_CASE("address sites: IPv6 and UDP") {
  DecodedPacket decoded = decode(test::udp_ipv6());
  CHECK(sites_of(decoded) == std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}});
  CHECK(checksums_of(decoded) == std::vector<Checksum>{{60, 54, 12, bits({2, 3}), true}});
}

TEST_CASE("address sites: SLL and SLL2 link-layer addresses of length 6") {
  DecodedPacket decoded = decode(test::sll(), 113);
  CHECK(sites_of(decoded) == std::vector<Site>{{6, mac}, {28, v4}, {32, v4}});
  CHECK(checksums_of(decoded) == std::vector<Checksum>{{26, 16, 20, 0, false}, {42, 36, 12, bits({1, 2}), true}});

  Bytes sll8 = test::sll().bytes;
  sll8[5] = 8;  // an 8-byte address is no MAC
  CHECK(sites_of(decode_packet(113, sll8)) == std::vector<Site>{{28, v4}, {32, v4}});

  // SLL2: protocol, reserved, interface, ARPHRD, packet type, address length 6, address at 12.
  Bytes sll2 = concat({hex("0800 0000 00000001 0001 00 06 020000000001 0000"), test::slice(test::sll().bytes, 16, 52)});
  CHECK(sites_of(decode_packet(276, sll2)) == std::vector<Site>{{12, mac}, {32, v4}, {36, v4}});
}

TEST_CASE("address sites: ARP sender and target hardware and protocol addresses") {
  CHECK(sites_of(decode(test::arp())) ==
        std::vector<Site>{{0, mac}, {6, mac}, {22, mac}, {28, v4}, {32, mac}, {38, v4}});
}

TEST_CASE("address sites: IPv4 record route, source route and timestamp options") {
  DecodedPacket decoded = decode(test::record_route());
  CHECK(sites_of(decoded) == std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {37, v4}, {41, v4}});
  CHECK(checksums_of(decoded) == std::vector<Checksum>{{24, 14, 32, 0, false}, {62, 46, 27, bits({2, 3}), false}});

  // A no-operation, then a loose source route (131) with one slot: options at 34, slot at 38.
  Bytes loose = concat({test::ethernet_header(0x0800), test::ipv4_with_options(6, 27, hex("01 83 07 04 0a000063")),
                        test::small_tcp_segment()});
  CHECK(sites_of(decode_packet(1, loose)) == std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {38, v4}});
  // Strict source route (137) the same.
  loose[35] = 0x89;
  CHECK(sites_of(decode_packet(1, loose)) == std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {38, v4}});

  // Timestamp (68) with flag 1: address and timestamp pairs from 38; flag 0 holds timestamps only.
  Bytes stamps = concat({test::ethernet_header(0x0800),
                         test::ipv4_with_options(6, 27, hex("44 14 05 01 0a000063 00000001 0a000064 00000002")),
                         test::small_tcp_segment()});
  CHECK(sites_of(decode_packet(1, stamps)) ==
        std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {38, v4}, {46, v4}});
  stamps[37] = 0x03;
  CHECK(sites_of(decode_packet(1, stamps)).size() == 6);
  stamps[37] = 0x00;
  CHECK(sites_of(decode_packet(1, stamps)).size() == 4);
}

TEST_CASE("address sites: IPv6 routing headers, whose final destination makes the pseudo-header") {
  DecodedPacket type0 = decode(test::routing_header(0));
  CHECK(sites_of(type0) == std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}, {62, v6}, {78, v6}});
  CHECK(checksums_of(type0) == std::vector<Checksum>{{100, 94, 12, bits({2, 5}), true}});

  DecodedPacket type2 = decode(test::routing_header(2));
  CHECK(sites_of(type2) == std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}, {62, v6}});
  CHECK(checksums_of(type2) == std::vector<Checksum>{{84, 78, 12, bits({2, 4}), true}});

  DecodedPacket segments = decode(test::routing_header(4));
  CHECK(sites_of(segments) == std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}, {62, v6}, {78, v6}});
  CHECK(checksums_of(segments) == std::vector<Checksum>{{100, 94, 12, bits({2, 4}), true}});

  Bytes arrived = test::routing_header(0).bytes;
  arrived[57] = 0;  // segments left 0: the IPv6 destination is final
  CHECK(checksums_of(decode_packet(1, arrived)) == std::vector<Checksum>{{100, 94, 12, bits({2, 3}), true}});
}

TEST_CASE("address sites: an ICMP error's quote, its header and transport checksums") {
  DecodedPacket decoded = decode(test::icmp_error_udp());
  CHECK(sites_of(decoded) == std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {54, v4}, {58, v4}});
  CHECK(checksums_of(decoded) ==
        std::vector<Checksum>{
            {24, 14, 20, 0, false}, {36, 34, 40, 0, false}, {52, 42, 20, 0, false}, {68, 62, 12, bits({4, 5}), true}});
}

TEST_CASE("address sites: an ICMPv6 error quoting TCP, whose checksum lies past the 8 bytes kept") {
  DecodedPacket decoded = decode(test::icmpv6_error_tcp());
  CHECK(sites_of(decoded) == std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}, {70, v6}, {86, v6}});
  CHECK(decoded.layout.header_end == 110);
  // The quoted TCP checksum at 118 is ICMP data, which masking zeroes: not listed.
  CHECK(checksums_of(decoded) == std::vector<Checksum>{{56, 54, 68, bits({2, 3}), false}});
}

TEST_CASE("address sites: an IPv4 source route still in flight names the pseudo-header's final destination") {
  DecodedPacket decoded = decode(test::loose_source_route_udp());
  CHECK(sites_of(decoded) == std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {38, v4}});
  CHECK(checksums_of(decoded) == std::vector<Checksum>{{24, 14, 28, 0, false}, {48, 42, 12, bits({2, 4}), true}});
  CHECK(decoded.tcp.key.dst[3] == 0x63);

  Bytes visited = test::loose_source_route_udp().bytes;
  visited[37] = 8;  // the pointer past the last slot: the header's destination is final
  CHECK(checksums_of(decode_packet(1, visited)) ==
        std::vector<Checksum>{{24, 14, 28, 0, false}, {48, 42, 12, bits({2, 3}), true}});
}

TEST_CASE("address sites: a quoted IPv4 header's route options, the source route's slot final") {
  DecodedPacket decoded = decode(test::icmp_error_quoting_options());
  CHECK(sites_of(decoded) ==
        std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {54, v4}, {58, v4}, {65, v4}, {72, v4}});
  CHECK(checksums_of(decoded) ==
        std::vector<Checksum>{
            {24, 14, 20, 0, false}, {36, 34, 56, 0, false}, {52, 42, 36, 0, false}, {84, 78, 12, bits({4, 7}), true}});
}

TEST_CASE("address sites: a quoted IPv6 routing header, its final destination in the quoted pseudo-header") {
  DecodedPacket decoded = decode(test::icmpv6_error_quoting_routing());
  CHECK(sites_of(decoded) ==
        std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}, {70, v6}, {86, v6}, {110, v6}, {126, v6}});
  CHECK(checksums_of(decoded) ==
        std::vector<Checksum>{{56, 54, 100, bits({2, 3}), false}, {148, 142, 12, bits({4, 7}), true}});

  // A quote found malformed after its routing header is undecoded: none of its addresses is a site.
  Bytes malformed = test::icmpv6_error_quoting_routing().bytes;
  malformed[102] = 60;    // destination options follow the routing header, at 142,
  malformed[143] = 0xff;  // 2048 bytes long: past the message
  CHECK(sites_of(decode_packet(1, malformed)) == std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}});
}

TEST_CASE("address sites: neighbour discovery targets, link-layer options and a redirect's quote") {
  DecodedPacket redirect = decode(test::nd_redirect());
  CHECK(sites_of(redirect) ==
        std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}, {62, v6}, {78, v6}, {96, mac}, {118, v6}, {134, v6}});
  CHECK(checksums_of(redirect) ==
        std::vector<Checksum>{{56, 54, 104, bits({2, 3}), false}, {156, 150, 8, bits({7, 8}), true}});

  // A neighbour solicitation (135): target at 62, source link-layer option at 78 (MAC 80).
  Bytes solicitation =
      concat({test::ethernet_header(0x86dd),
              test::ipv6_between(58, 32, "fd000000000000000000000000000001", "ff0200000000000000000001ff000002"),
              hex("87 00 00 00 00 00 00 00 fd000000000000000000000000000002 01 01 020000000001")});
  CHECK(sites_of(decode_packet(1, solicitation)) ==
        std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}, {62, v6}, {80, mac}});
  // An advertisement (136) with a target link-layer option (2).
  solicitation[54] = 136;
  solicitation[78] = 2;
  CHECK(sites_of(decode_packet(1, solicitation)) ==
        std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}, {62, v6}, {80, mac}});
}

TEST_CASE("address sites: MLD multicast addresses and MLDv2 sources") {
  const std::string group = "ff020000000000000000000000000016";
  const std::string source = "fd000000000000000000000000000009";
  auto mld = [](const Bytes& message) {
    return concat(
        {test::ethernet_header(0x86dd),
         test::ipv6_between(58, message.size(), "fd000000000000000000000000000001", "ff020000000000000000000000000016"),
         message});
  };
  const std::vector<Site> ip = {{0, mac}, {6, mac}, {22, v6}, {38, v6}};
  // A version 1 report (131): the group at 62.
  CHECK(sites_of(decode_packet(1, mld(concat({hex("83 00 0000 0000 0000"), hex(group)})))) == plus(ip, {{62, v6}}));
  // A version 2 query (130): the group at 62, one source (count at 80) at 82.
  CHECK(sites_of(decode_packet(1, mld(concat({hex("82 00 0000 0000 0000"), hex(group), hex("02 7d 0001"),
                                              hex(source)})))) == plus(ip, {{62, v6}, {82, v6}}));
  // A version 2 report (143): one record at 62 with its group at 66 and one source at 82.
  CHECK(sites_of(decode_packet(1, mld(concat({hex("8f 00 0000 0000 0001"), hex("01 00 0001"), hex(group),
                                              hex(source)})))) == plus(ip, {{66, v6}, {82, v6}}));
}

TEST_CASE("address sites: IGMP group addresses and IGMPv3 sources") {
  auto igmp = [](const Bytes& message) {
    return concat({test::ethernet_header(0x0800), test::ipv4_with_options(2, message.size(), {}), message});
  };
  const std::vector<Site> ip = {{0, mac}, {6, mac}, {26, v4}, {30, v4}};
  DecodedPacket report = decode_packet(1, igmp(hex("16 00 0000 e0000016")));  // v2 report: group at 38
  CHECK(sites_of(report) == plus(ip, {{38, v4}}));
  CHECK(checksums_of(report) == std::vector<Checksum>{{24, 14, 20, 0, false}, {36, 34, 8, 0, false}});
  // A version 3 query: group at 38, one source (count at 44) at 46.
  CHECK(sites_of(decode_packet(1, igmp(hex("11 64 0000 e0000016 02 7d 0001 0a000009")))) ==
        plus(ip, {{38, v4}, {46, v4}}));
  // A version 3 report: one record at 42, group at 46, two sources at 50 and 54.
  CHECK(sites_of(decode_packet(1, igmp(hex("22 00 0000 0000 0001 01 00 0002 e0000016 0a000009 0a00000a")))) ==
        plus(ip, {{46, v4}, {50, v4}, {54, v4}}));
}

TEST_CASE("address sites: tunnels accumulate the inner headers' sites") {
  DecodedPacket vxlan = decode(test::vxlan());
  CHECK(sites_of(vxlan) ==
        std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {50, mac}, {56, mac}, {76, v4}, {80, v4}});
  CHECK(checksums_of(vxlan) == std::vector<Checksum>{{24, 14, 20, 0, false},
                                                     {40, 34, 77, bits({2, 3}), true},
                                                     {74, 64, 20, 0, false},
                                                     {100, 84, 27, bits({6, 7}), false}});

  DecodedPacket gre = decode(test::gre_checksum());
  CHECK(sites_of(gre) ==
        std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {42, mac}, {48, mac}, {68, v4}, {72, v4}});
  CHECK(checksums_of(gre) ==
        std::vector<Checksum>{
            {24, 14, 20, 0, false}, {38, 34, 69, 0, false}, {66, 56, 20, 0, false}, {92, 76, 27, bits({6, 7}), false}});

  DecodedPacket ipip = decode(test::ip_in_ip());
  CHECK(sites_of(ipip) == std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {46, v4}, {50, v4}});
  CHECK(checksums_of(ipip) ==
        std::vector<Checksum>{{24, 14, 20, 0, false}, {44, 34, 20, 0, false}, {70, 54, 27, bits({4, 5}), false}});

  // Geneve (6081) without options, then Ethernet at 50 as in VXLAN.
  Bytes geneve = test::vxlan().bytes;
  geneve[36] = 0x17;
  geneve[37] = 0xc1;
  Bytes header = hex("00 00 65 58 00 00 01 00");
  std::copy(header.begin(), header.end(), geneve.begin() + 42);
  CHECK(sites_of(decode_packet(1, geneve)) == sites_of(vxlan));

  // 6in4: IPv6 at 34 (src 42, dst 58), UDP at 74.
  Bytes six =
      concat({test::ethernet_header(0x0800), test::ipv4_with_options(41, 52, {}),
              test::ipv6_between(17, 12, "fd000000000000000000000000000001", "fd000000000000000000000000000002"),
              test::udp_header(9999, 12), test::filler(4)});
  DecodedPacket sixin4 = decode_packet(1, six);
  CHECK(sites_of(sixin4) == std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}, {42, v6}, {58, v6}});
  CHECK(checksums_of(sixin4) == std::vector<Checksum>{{24, 14, 20, 0, false}, {80, 74, 12, bits({4, 5}), true}});
}

TEST_CASE("address sites: an address cut by snaplen is no site but noted as cut") {
  Bytes packet = test::tcp_ipv4().bytes;
  DecodedPacket ethernet = decode_packet(1, Bytes(packet.begin(), packet.begin() + 10));
  CHECK(sites_of(ethernet) == std::vector<Site>{{0, mac}});
  CHECK(ethernet.addresses.cut);
  CHECK(ethernet.addresses.cut_offset == 6);

  DecodedPacket ipv4 = decode_packet(1, Bytes(packet.begin(), packet.begin() + 32));
  CHECK(sites_of(ipv4) == std::vector<Site>{{0, mac}, {6, mac}, {26, v4}});
  CHECK(ipv4.addresses.cut);
  CHECK(ipv4.addresses.cut_offset == 30);

  DecodedPacket whole = decode_packet(1, Bytes(packet.begin(), packet.begin() + 34));
  CHECK(sites_of(whole).size() == 4);
  CHECK_FALSE(whole.addresses.cut);
}

TEST_CASE("address sites: more than the layout holds ends decoding at that header, too deep") {
  // A type 0 routing header at 54 with 61 addresses: 4 sites before it, 64 fit.
  Bytes header = hex("11 7a 00 01 00 00 00 00");
  for (int i = 0; i < 61; ++i) header = concat({header, hex("fd000000000000000000000000000007")});
  Bytes packet = concat({test::ethernet_header(0x86dd),
                         test::ipv6_between(43, header.size() + 12, "fd000000000000000000000000000001",
                                            "fd000000000000000000000000000002"),
                         header, test::udp_header(9999, 12), test::filler(4)});
  DecodedPacket decoded = decode_packet(1, packet);
  CHECK(decoded.addresses.overflow);
  CHECK(sites_of(decoded) == std::vector<Site>{{0, mac}, {6, mac}, {22, v6}, {38, v6}});  // none in zeroed bytes
  CHECK(decoded.layout.header_end == 54);
  CHECK(decoded.layout.undecoded_end == packet.size());
  CHECK(decoded.layout.undecoded == UndecodedReason::too_deep);

  header[1] = 0x78;  // 60 addresses fit
  Bytes fits = concat({test::ethernet_header(0x86dd),
                       test::ipv6_between(43, header.size() - 16 + 12, "fd000000000000000000000000000001",
                                          "fd000000000000000000000000000002"),
                       test::slice(header, 0, header.size() - 16), test::udp_header(9999, 12), test::filler(4)});
  DecodedPacket decoded_fits = decode_packet(1, fits);
  CHECK_FALSE(decoded_fits.addresses.overflow);
  CHECK(decoded_fits.addresses.site_count == 64);
  CHECK(decoded_fits.layout.undecoded == UndecodedReason::none);
}

TEST_CASE("address sites: a first fragment's transport checksum, whose pseudo-header holds the addresses") {
  Bytes packet = test::tcp_ipv4().bytes;
  packet[14 + 6] = 0x20;  // more fragments, offset 0
  DecodedPacket first = decode_packet(1, packet);
  CHECK(sites_of(first) == std::vector<Site>{{0, mac}, {6, mac}, {26, v4}, {30, v4}});
  CHECK(checksums_of(first) == std::vector<Checksum>{{24, 14, 20, 0, false}, {50, 34, 27, bits({2, 3}), false}});
  packet[14 + 7] = 0x10;  // a later fragment: no transport header
  CHECK(checksums_of(decode_packet(1, packet)) == std::vector<Checksum>{{24, 14, 20, 0, false}});
}

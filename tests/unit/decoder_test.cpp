#include <catch2/catch.hpp>

#include "common/decode/decoder.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;

namespace {

using test::kSmallPayload;

void check_tcp(const DecodedPacket& decoded, size_t payload_offset) {
  REQUIRE(decoded.outcome == DecodeOutcome::tcp);
  CHECK(decoded.tcp.payload_offset == payload_offset);
  CHECK(decoded.tcp.payload_length == kSmallPayload.size());
  CHECK(decoded.tcp.payload_captured == kSmallPayload.size());
  CHECK(decoded.tcp.seq == 7);
  CHECK(decoded.tcp.key.sport == 40000);
  CHECK(decoded.tcp.key.dport == 443);
}

}  // namespace

TEST_CASE("decoder follows every link type to TCP") {
  check_tcp(decode_packet(1, concat({test::ethernet_header(0x0800), test::ipv4_small_tcp()})), 54);
  check_tcp(decode_packet(1, concat({test::ethernet_header(0x86dd), test::ipv6_small_tcp()})), 74);
  check_tcp(decode_packet(101, test::ipv4_small_tcp()), 40);
  check_tcp(decode_packet(12, test::ipv6_small_tcp()), 60);
  check_tcp(decode_packet(14, test::ipv4_small_tcp()), 40);
  check_tcp(decode_packet(228, test::ipv4_small_tcp()), 40);
  check_tcp(decode_packet(229, test::ipv6_small_tcp()), 60);
  check_tcp(decode_packet(0, concat({hex("02000000"), test::ipv4_small_tcp()})), 44);  // BSD null, little endian
  check_tcp(decode_packet(0, concat({hex("0000001e"), test::ipv6_small_tcp()})),
            64);  // BSD null, big endian, macOS AF_INET6
  check_tcp(decode_packet(108, concat({hex("00000002"), test::ipv4_small_tcp()})), 44);
  check_tcp(decode_packet(113, concat({hex("0000 0001 0006 020000000001 0000 0800"), test::ipv4_small_tcp()})), 56);
  check_tcp(
      decode_packet(276, concat({hex("0800 0000 00000002 0001 00 06 020000000001 0000"), test::ipv4_small_tcp()})), 60);
}

TEST_CASE("decoder follows VLAN stacks, MPLS and PPPoE") {
  auto eth = [](uint16_t type) { return test::ethernet_header(type); };
  check_tcp(decode_packet(1, concat({eth(0x8100), hex("0064 0800"), test::ipv4_small_tcp()})), 58);
  check_tcp(decode_packet(1, concat({eth(0x88a8), hex("0064 8100 00c8 9100 012c 0800"), test::ipv4_small_tcp()})), 66);
  check_tcp(decode_packet(1, concat({eth(0x8847), hex("00010040 00020140"), test::ipv4_small_tcp()})), 62);
  check_tcp(decode_packet(1, concat({eth(0x8864), hex("1100 0001 0031 0021"), test::ipv4_small_tcp()})), 62);
  check_tcp(decode_packet(1, concat({eth(0x8864), hex("1100 0001 0045 0057"), test::ipv6_small_tcp()})), 82);
}

TEST_CASE("decoder handles IPv4 options and IP-in-IP") {
  Bytes with_options =
      concat({hex("46000033 12344000 4006 0000 0a000001 0a000002 01010101"), test::small_tcp_segment()});
  check_tcp(decode_packet(101, with_options), 44);
  check_tcp(decode_packet(101, concat({test::ipv4_header(4, 47), test::ipv4_small_tcp()})), 60);
  check_tcp(decode_packet(101, concat({test::ipv4_header(41, 67), test::ipv6_small_tcp()})), 80);
}

TEST_CASE("decoder walks IPv6 extension headers and uses the routing header's final destination") {
  Bytes hop = hex("3c00 0000 00000000");   // hop-by-hop -> destination options
  Bytes dest = hex("2b00 0000 00000000");  // destination options -> routing
  Bytes routing =
      concat({hex("2c02 0001 00000000"), hex("fd0000000000000000000000000000ff")});  // type 0, 1 left -> fragment
  Bytes atomic = hex("3300 0000 00000001");                                          // atomic fragment -> AH
  Bytes ah = hex("0602 0000 00000001 00000001 00000000");                            // AH, 16 bytes -> TCP
  Bytes ext = concat({hop, dest, routing, atomic, ah});
  Bytes packet = concat({test::ipv6_header(0, ext.size() + 27), ext, test::small_tcp_segment()});
  auto decoded = decode_packet(229, packet);
  check_tcp(decoded, 40 + ext.size() + 20);
  CHECK(decoded.tcp.key.dst[15] == 0xff);
}

TEST_CASE("decoder leaves fragments alone and counts their bytes") {
  Bytes v4 = test::ipv4_small_tcp();
  v4[6] = 0x20;  // more fragments
  auto decoded = decode_packet(101, v4);
  CHECK(decoded.outcome == DecodeOutcome::fragment);
  CHECK(decoded.fragment_bytes == 27);
  Bytes v6 = concat({test::ipv6_header(44, 8 + 27), hex("0600 0001 00000001"), test::small_tcp_segment()});
  CHECK(decode_packet(229, v6).outcome == DecodeOutcome::fragment);
}

TEST_CASE("decoder reports truncated, invalid, unsupported and not-TCP packets") {
  Bytes packet = concat({test::ethernet_header(0x0800), test::ipv4_small_tcp()});
  for (size_t cut : {0, 5, 13, 20, 33, 40, 53}) {
    INFO("cut at " << cut);
    CHECK(decode_packet(1, Bytes(packet.begin(), packet.begin() + static_cast<long>(cut))).outcome ==
          DecodeOutcome::truncated);
  }
  Bytes bad_offset = packet;
  bad_offset[14 + 20 + 12] = 0x40;  // TCP data offset 4 words
  CHECK(decode_packet(1, bad_offset).outcome == DecodeOutcome::invalid);
  Bytes bad_length = packet;
  bad_length[14 + 3] = 10;  // IPv4 total length shorter than its header
  CHECK(decode_packet(1, bad_length).outcome == DecodeOutcome::invalid);
  CHECK(decode_packet(147, packet).outcome == DecodeOutcome::unsupported);
  CHECK(decode_packet(1, concat({test::ethernet_header(0x0806),
                                 hex("0001080006040001 020000000001 0a000001 000000000000 0a000002")}))
            .outcome == DecodeOutcome::not_tcp);
  CHECK(decode_packet(101, concat({test::ipv4_header(17, 8), hex("0035 0035 0008 0000")})).outcome ==
        DecodeOutcome::not_tcp);
}

TEST_CASE("decoder separates captured from declared payload on a snaplen cut") {
  Bytes packet = concat({test::ethernet_header(0x0800), test::ipv4_small_tcp()});
  packet.resize(packet.size() - 3);
  auto decoded = decode_packet(1, packet);
  REQUIRE(decoded.outcome == DecodeOutcome::tcp);
  CHECK(decoded.tcp.payload_length == 7);
  CHECK(decoded.tcp.payload_captured == 4);
}

TEST_CASE("decoder ignores an Ethernet trailer beyond the IP length") {
  Bytes packet = concat({test::ethernet_header(0x0800), test::ipv4_small_tcp(), hex("aa bb cc dd")});
  auto decoded = decode_packet(1, packet);
  REQUIRE(decoded.outcome == DecodeOutcome::tcp);
  CHECK(decoded.tcp.payload_captured == 7);
}

TEST_CASE("decoder follows GRE, VXLAN and Geneve to the inner TCP and records outer checksums") {
  Bytes inner_eth = concat({test::ethernet_header(0x0800), test::ipv4_small_tcp()});
  Bytes gre_plain = concat({hex("0000 0800"), test::ipv4_small_tcp()});
  auto gre = decode_packet(101, concat({test::ipv4_header(47, gre_plain.size()), gre_plain}));
  check_tcp(gre, 64);
  CHECK(gre.outer_count == 0);

  Bytes gre_cks = concat({hex("b000 86dd 0000 0000 00000007 00000001"), test::ipv6_small_tcp()});  // C, K, S
  auto with_checksum = decode_packet(101, concat({test::ipv4_header(47, gre_cks.size()), gre_cks}));
  check_tcp(with_checksum, 20 + 16 + 60);
  REQUIRE(with_checksum.outer_count == 1);
  CHECK(with_checksum.outer[0].field_offset == 24);
  CHECK(with_checksum.outer[0].length == gre_cks.size());

  Bytes gre_ether = concat({hex("0000 6558"), inner_eth});
  check_tcp(decode_packet(101, concat({test::ipv4_header(47, gre_ether.size()), gre_ether})), 20 + 4 + 54);

  Bytes vxlan = concat({hex("0800 0000 000001 00"), inner_eth});
  Bytes udp =
      concat({hex("c000 12b5"), {uint8_t((8 + vxlan.size()) >> 8), uint8_t(8 + vxlan.size())}, hex("1234"), vxlan});
  auto via_vxlan = decode_packet(101, concat({test::ipv4_header(17, udp.size()), udp}));
  check_tcp(via_vxlan, 20 + 8 + 8 + 54);
  REQUIRE(via_vxlan.outer_count == 1);
  CHECK(via_vxlan.outer[0].zero_means_absent);
  udp[6] = udp[7] = 0;  // IPv4 UDP without checksum: nothing to keep valid
  CHECK(decode_packet(101, concat({test::ipv4_header(17, udp.size()), udp})).outer_count == 0);

  Bytes geneve = concat({hex("0200 6558 000001 00 0101 01 01 aabbccdd"), inner_eth});  // one 8-byte option
  Bytes udp6 =
      concat({hex("c000 17c1"), {uint8_t((8 + geneve.size()) >> 8), uint8_t(8 + geneve.size())}, hex("0000"), geneve});
  auto via_geneve = decode_packet(229, concat({test::ipv6_header(17, udp6.size()), udp6}));
  check_tcp(via_geneve, 40 + 8 + 16 + 54);
  CHECK(via_geneve.outer_count == 1);  // over IPv6 the UDP checksum is mandatory
}

TEST_CASE("decoder leaves GRE with routing or another version alone") {
  Bytes routed = concat({hex("4000 0800 0000 0000"), test::ipv4_small_tcp()});
  CHECK(decode_packet(101, concat({test::ipv4_header(47, routed.size()), routed})).outcome ==
        DecodeOutcome::unsupported);
  Bytes pptp = concat({hex("0001 0800"), test::ipv4_small_tcp()});
  CHECK(decode_packet(101, concat({test::ipv4_header(47, pptp.size()), pptp})).outcome == DecodeOutcome::unsupported);
  Bytes other_udp = concat({hex("c000 0035 0010 0000"), hex("0000000000000000")});
  CHECK(decode_packet(101, concat({test::ipv4_header(17, other_udp.size()), other_udp})).outcome ==
        DecodeOutcome::not_tcp);
}

TEST_CASE("decoder reads IPv4 total length 0 (segmentation offload) as reaching the end of the frame") {
  // A TSO segment as a sender's capture holds it: total length 0, header
  // checksum computed over that 0, payload beyond 64 KiB for a jumbo one.
  Bytes header = hex("45000000 1c460000 4006 0000 0a000001 0a000002");
  for (size_t payload : {size_t{30000}, size_t{70000}}) {
    INFO("payload " << payload);
    Bytes body(payload, 0x17);
    Bytes packet = concat({test::ethernet_header(0x0800), header, test::tcp_header(40000, 443, 7, 0x10), body});
    auto decoded = decode_packet(1, packet);
    REQUIRE(decoded.outcome == DecodeOutcome::tcp);
    CHECK(decoded.tcp.payload_offset == 54);
    CHECK(decoded.tcp.payload_length == payload);
    CHECK(decoded.tcp.payload_captured == payload);
    // The pseudo-header carries the real TCP length, carry included past 16 bits.
    uint32_t segment = static_cast<uint32_t>(20 + payload);
    CHECK(decoded.tcp.pseudo_header_sum ==
          6 + 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + (segment & 0xffff) + (segment >> 16));
  }
  Bytes header_only = concat({header, test::tcp_header(40000, 443, 7, 0x10)});
  auto empty = decode_packet(101, header_only);
  REQUIRE(empty.outcome == DecodeOutcome::tcp);
  CHECK(empty.tcp.payload_captured == 0);
  CHECK(decode_packet(101, Bytes(header_only.begin(), header_only.begin() + 30)).outcome == DecodeOutcome::truncated);
}

TEST_CASE("decoder reads an IPv4 total length beyond the captured bytes as a snaplen cut") {
  Bytes packet = concat({hex("45000bb8 1c464000 4006 0000 0a000001 0a000002"),  // total length 3000
                         test::tcp_header(40000, 443, 7, 0x18), hex("17 03 03 0b 8f 01 02 03")});
  auto decoded = decode_packet(101, packet);
  REQUIRE(decoded.outcome == DecodeOutcome::tcp);
  CHECK(decoded.tcp.payload_length == 3000 - 40);
  CHECK(decoded.tcp.payload_captured == 8);
}

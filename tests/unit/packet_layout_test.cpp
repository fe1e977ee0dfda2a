// The decoder's packet layout (masking policy v2, sections 1, 2, 5, 6 and
// 10) on packets built byte by byte; every expected offset is counted by
// hand from how the packet is built.

#include <catch2/catch.hpp>

#include "common/decode/decoder.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;

namespace {

using test::filler;
using test::kSmallPayload;

struct Layout {
  size_t header_end;
  size_t payload_end;
  size_t undecoded_end;
  PayloadKind payload = PayloadKind::none;
  UndecodedReason undecoded = UndecodedReason::none;
};

void check_layout(const DecodedPacket& decoded, const Layout& expected) {
  CHECK(decoded.layout.header_end == expected.header_end);
  CHECK(decoded.layout.payload_end == expected.payload_end);
  CHECK(decoded.layout.undecoded_end == expected.undecoded_end);
  CHECK(to_string(decoded.layout.payload) == std::string(to_string(expected.payload)));
  CHECK(to_string(decoded.layout.undecoded) == std::string(to_string(expected.undecoded)));
}

}  // namespace

TEST_CASE("layout: a TCP segment, with Ethernet padding, offload and a snaplen cut") {
  Bytes packet = concat({test::ethernet_header(0x0800), test::ipv4_small_tcp()});
  check_layout(decode_packet(1, packet), {54, 61, 61, PayloadKind::tcp});
  Bytes padded = concat({packet, filler(4)});
  check_layout(decode_packet(1, padded), {54, 61, 61, PayloadKind::tcp});  // 61..65 trailer

  Bytes offloaded = padded;
  offloaded[14 + 2] = offloaded[14 + 3] = 0;  // total length 0: to the end of the frame
  auto decoded = decode_packet(1, offloaded);
  check_layout(decoded, {54, 65, 65, PayloadKind::tcp});
  CHECK(decoded.tcp.payload_captured == 11);

  Bytes cut(packet.begin(), packet.begin() + 58);
  check_layout(decode_packet(1, cut), {54, 58, 58, PayloadKind::tcp});
}

TEST_CASE("layout: a header cut by snaplen is a header, one that does not fit its container is not") {
  // TCP with 12 bytes of options (data offset 8), of whose 32 header bytes 25 are captured.
  Bytes options =
      concat({test::ipv4_header(6, 32 + 7), test::tcp_header(40000, 443, 7, 0x18), filler(12, 1), kSmallPayload});
  options[20 + 12] = 0x80;
  Bytes packet = concat({test::ethernet_header(0x0800), options});
  Bytes cut(packet.begin(), packet.begin() + 14 + 20 + 25);
  auto decoded = decode_packet(1, cut);
  CHECK(decoded.outcome == DecodeOutcome::truncated);
  check_layout(decoded, {59, 59, 59});

  Bytes bad_offset = concat({test::ethernet_header(0x0800), test::ipv4_small_tcp(), filler(3)});
  bad_offset[14 + 20 + 12] = 0x40;  // data offset 4 words
  check_layout(decode_packet(1, bad_offset), {34, 34, 61, PayloadKind::none, UndecodedReason::malformed});

  Bytes bad_ihl = concat({test::ethernet_header(0x0800), test::ipv4_small_tcp(), filler(3)});
  bad_ihl[14] = 0x44;  // IHL 4 words
  check_layout(decode_packet(1, bad_ihl), {14, 14, 64, PayloadKind::none, UndecodedReason::malformed});

  // UDP in an IP payload of 6 bytes: the header does not fit, though more bytes follow (padding).
  Bytes short_udp =
      concat({test::ethernet_header(0x0800), test::ipv4_header(17, 6), hex("0035 0035 0008"), filler(20)});
  check_layout(decode_packet(1, short_udp), {34, 34, 40, PayloadKind::none, UndecodedReason::malformed});
}

TEST_CASE("layout: ARP is a header, the rest of its frame a trailer") {
  Bytes arp = hex("0001 0800 06 04 0001 020000000001 0a000001 000000000000 0a000002");  // 28 bytes
  check_layout(decode_packet(1, concat({test::ethernet_header(0x0806), arp, filler(18)})), {42, 42, 42});
}

TEST_CASE("layout: unknown link types, EtherTypes, LLC and IP protocols are undecoded") {
  Bytes frame = concat({test::ethernet_header(0x0800), test::ipv4_small_tcp()});
  check_layout(decode_packet(147, frame), {0, 0, 61, PayloadKind::none, UndecodedReason::link_type});
  check_layout(decode_packet(1, concat({test::ethernet_header(0x88cc), filler(30)})),
               {14, 14, 44, PayloadKind::none, UndecodedReason::ethertype});
  check_layout(decode_packet(1, concat({test::ethernet_header(0x0026), hex("4242 03"), filler(35)})),
               {14, 14, 52, PayloadKind::none, UndecodedReason::ethertype});
  check_layout(decode_packet(1, concat({test::ethernet_header(0x8864), hex("1100 0001 0010 c021"), filler(20)})),
               {22, 22, 36, PayloadKind::none, UndecodedReason::ethertype});  // LCP; PPPoE length ends at 36
  Bytes sctp = concat({test::ethernet_header(0x0800), test::ipv4_header(132, 12), filler(12, 1), filler(6)});
  check_layout(decode_packet(1, sctp), {34, 34, 46, PayloadKind::none, UndecodedReason::ip_protocol});
  check_layout(decode_packet(101, concat({test::ipv4_header(253, 12), filler(12)})),
               {20, 20, 32, PayloadKind::none, UndecodedReason::ip_protocol});
  // Nothing to place: an unknown protocol with no payload is not counted as undecoded.
  check_layout(decode_packet(101, test::ipv4_header(132, 0)), {20, 20, 20});
}

TEST_CASE("layout: nesting past the decoder's bounds is too deep") {
  Bytes chain;
  for (int i = 0; i < 33; ++i) concat({chain, hex("3c00 0000 00000000")}).swap(chain);
  chain[32 * 8] = 6;  // the 33rd destination options header names TCP
  Bytes packet = concat({test::ipv6_header(60, chain.size() + 27), chain, test::small_tcp_segment()});
  check_layout(decode_packet(229, packet), {40, 40, 40 + 264 + 27, PayloadKind::none, UndecodedReason::too_deep});
  chain.resize(32 * 8);
  chain[31 * 8] = 6;  // 32 headers are walked
  packet = concat({test::ipv6_header(60, chain.size() + 27), chain, test::small_tcp_segment()});
  check_layout(decode_packet(229, packet), {40 + 256 + 20, 40 + 256 + 27, 40 + 256 + 27, PayloadKind::tcp});

  Bytes nested = test::ipv4_small_tcp();
  for (int i = 0; i < 4; ++i) nested = concat({test::ipv4_header(4, nested.size()), nested});
  check_layout(decode_packet(101, nested), {80, 80, 127, PayloadKind::none, UndecodedReason::too_deep});
}

TEST_CASE("layout: IPv6 next headers 253 and 254 are extension headers") {
  Bytes packet = concat({test::ipv6_header(253, 16 + 27), hex("fe00 0000 00000000"), hex("0600 0000 00000000"),
                         test::small_tcp_segment()});
  auto decoded = decode_packet(229, packet);
  REQUIRE(decoded.outcome == DecodeOutcome::tcp);
  check_layout(decoded, {76, 83, 83, PayloadKind::tcp});
}

TEST_CASE("layout: UDP payload, excess and checksum") {
  Bytes udp = concat({test::ipv4_header(17, 8 + 4 + 3), hex("c350 0035 000c 0000 aabbccdd"), filler(3)});
  auto decoded = decode_packet(101, udp);
  check_layout(decoded, {28, 32, 35, PayloadKind::udp, UndecodedReason::udp_excess});
  CHECK(decoded.tcp.key.sport == 50000);
  CHECK(decoded.tcp.key.dport == 53);
  CHECK(decoded.tcp.key.family == 4);
  CHECK_FALSE(decoded.has_inner);  // a zero checksum over IPv4 stays zero

  udp[26] = 0x12;
  decoded = decode_packet(101, udp);
  REQUIRE(decoded.has_inner);
  CHECK(decoded.inner.field_offset == 26);
  CHECK(decoded.inner.start == 20);
  CHECK(decoded.inner.length == 12);
  // 17 + 12 + 0a00 + 0001 + 0a00 + 0002
  CHECK(decoded.inner.pseudo_header_sum == 0x1420);
  CHECK(decoded.inner.zero_means_absent);

  auto over_v6 = decode_packet(229, concat({test::ipv6_header(17, 12), hex("c350 0035 000c 0000 aabbccdd")}));
  check_layout(over_v6, {48, 52, 52, PayloadKind::udp});
  CHECK(over_v6.has_inner);  // mandatory over IPv6

  Bytes too_long = concat({test::ipv4_header(17, 12), hex("c350 0035 0010 0000 aabbccdd")});
  check_layout(decode_packet(101, too_long), {20, 20, 32, PayloadKind::none, UndecodedReason::malformed});
}

TEST_CASE("layout: ICMP messages keep their 8-byte header, errors their quoted headers") {
  auto echo = decode_packet(101, concat({test::ipv4_header(1, 12), hex("0800 3337 0001 0001 61626364")}));
  check_layout(echo, {28, 32, 32, PayloadKind::icmp});
  REQUIRE(echo.has_inner);
  CHECK(echo.inner.field_offset == 22);
  CHECK(echo.inner.start == 20);
  CHECK(echo.inner.length == 12);
  CHECK(echo.inner.pseudo_header_sum == 0);

  // Fragmentation needed, quoting a 20-byte IPv4 header and a 27-byte TCP segment.
  Bytes quote = concat({hex("0304 0000 0000 05dc"), test::ipv4_small_tcp()});
  auto frag_needed = decode_packet(101, concat({test::ipv4_header(1, quote.size()), quote}));
  CHECK(frag_needed.outcome == DecodeOutcome::not_tcp);
  check_layout(frag_needed, {20 + 8 + 20 + 8, 20 + 8 + 47, 20 + 8 + 47, PayloadKind::icmp});

  // A quote shorter than its transport header's first 8 bytes keeps all of it.
  Bytes short_quote = concat({hex("0b00 0000 0000 0000"), test::ipv4_header(6, 27), hex("9c40 01bb")});
  check_layout(decode_packet(101, concat({test::ipv4_header(1, short_quote.size()), short_quote})),
               {52, 52, 52, PayloadKind::icmp});

  // A quoted non-first fragment: nothing past its IP header.
  Bytes fragment_quote = concat({hex("0b00 0000 0000 0000"), test::ipv4_small_tcp()});
  fragment_quote[8 + 7] = 0x10;
  check_layout(decode_packet(101, concat({test::ipv4_header(1, fragment_quote.size()), fragment_quote})),
               {48, 75, 75, PayloadKind::icmp});

  // A quoted header that is not IPv4 is not a header.
  Bytes bad_quote = concat({hex("0300 0000 0000 0000"), test::ipv6_small_tcp()});
  check_layout(decode_packet(101, concat({test::ipv4_header(1, bad_quote.size()), bad_quote})),
               {28, 28, 20 + 8 + 67, PayloadKind::none, UndecodedReason::malformed});
}

TEST_CASE("layout: ICMPv6 packet too big quotes IPv6 with its extension headers") {
  Bytes quote = concat({hex("0200 0000 0000 0500"), test::ipv6_small_tcp()});
  auto too_big = decode_packet(229, concat({test::ipv6_header(58, quote.size()), quote}));
  check_layout(too_big, {40 + 8 + 40 + 8, 40 + 8 + 67, 40 + 8 + 67, PayloadKind::icmp});
  REQUIRE(too_big.has_inner);
  CHECK(too_big.inner.field_offset == 42);
  CHECK(too_big.inner.length == 75);
  // 58 + 75 + fd00 + 0001 + fd00 + 0002
  CHECK(too_big.inner.pseudo_header_sum == 58 + 75 + 0xfd00 + 1 + 0xfd00 + 2);

  Bytes with_ext = concat(
      {hex("0100 0000 0000 0000"), test::ipv6_header(0, 8 + 27), hex("0600 0000 00000000"), test::small_tcp_segment()});
  check_layout(decode_packet(229, concat({test::ipv6_header(58, with_ext.size()), with_ext})),
               {40 + 8 + 48 + 8, 40 + 8 + 75, 40 + 8 + 75, PayloadKind::icmp});

  Bytes later_fragment = concat({hex("0300 0000 0000 0000"), test::ipv6_header(44, 8 + 27), hex("0600 0008 00000001"),
                                 test::small_tcp_segment()});
  check_layout(decode_packet(229, concat({test::ipv6_header(58, later_fragment.size()), later_fragment})),
               {40 + 8 + 48, 40 + 8 + 75, 40 + 8 + 75, PayloadKind::icmp});
}

TEST_CASE("layout: neighbour discovery and MLD are headers, but for a redirect's quote") {
  Bytes solicitation = concat({hex("8700 0000 00000000"), filler(16, 0xfd), hex("0101 020000000001")});
  check_layout(decode_packet(229, concat({test::ipv6_header(58, solicitation.size()), solicitation})), {72, 72, 72});
  Bytes bad_option = solicitation;
  bad_option[25] = 0;  // option length 0
  check_layout(decode_packet(229, concat({test::ipv6_header(58, bad_option.size()), bad_option})),
               {64, 64, 72, PayloadKind::none, UndecodedReason::malformed});

  // Redirect: 40-byte body, then a redirected-header option of 8 units quoting IPv6 + UDP + 4 bytes + 4 padding.
  Bytes quoted = concat({test::ipv6_header(17, 12), hex("0035 0035 000c 0000 aabbccdd"), filler(4, 0)});
  Bytes redirect = concat({hex("8900 0000 00000000"), filler(32, 0xfd), hex("0408 000000000000"), quoted});
  check_layout(decode_packet(229, concat({test::ipv6_header(58, redirect.size()), redirect})),
               {40 + 40 + 8 + 48, 40 + 40 + 64, 40 + 40 + 64, PayloadKind::icmp});

  Bytes report =
      hex("8f00 0000 0000 0001 04 00 0001 ff020000000000000000000000000001 fd000000000000000000000000000009");
  check_layout(decode_packet(229, concat({test::ipv6_header(58, report.size()), report})), {84, 84, 84});
}

TEST_CASE("layout: IGMP is a header, ESP keeps SPI and sequence, AH leads to the next protocol") {
  check_layout(decode_packet(101, concat({test::ipv4_header(2, 8), hex("1600 0904 e0000001")})), {28, 28, 28});
  check_layout(decode_packet(101, concat({test::ipv4_header(50, 24), hex("00001000 00000001"), filler(16)})),
               {28, 44, 44, PayloadKind::esp});
  Bytes ah = hex("0602 0000 00000001 00000001 00000000");  // 16 bytes, next header TCP
  auto decoded = decode_packet(101, concat({test::ipv4_header(51, 16 + 27), ah, test::small_tcp_segment()}));
  REQUIRE(decoded.outcome == DecodeOutcome::tcp);
  CHECK(decoded.tcp.payload_offset == 56);
  CHECK(decoded.tcp.payload_length == 7);
  check_layout(decoded, {56, 63, 63, PayloadKind::tcp});
}

TEST_CASE("layout: fragments keep the first fragment's transport header only") {
  Bytes first = test::ipv4_small_tcp();
  first[6] = 0x20;  // more fragments, offset 0
  auto decoded = decode_packet(101, first);
  CHECK(decoded.outcome == DecodeOutcome::fragment);
  CHECK(decoded.fragment_bytes == 27);
  CHECK_FALSE(decoded.has_inner);
  check_layout(decoded, {40, 47, 47, PayloadKind::fragment});

  Bytes later = test::ipv4_small_tcp();
  later[7] = 0x03;  // offset 24 bytes, last fragment
  check_layout(decode_packet(101, later), {20, 47, 47, PayloadKind::fragment});

  Bytes udp_first = concat({test::ipv4_header(17, 16), hex("c350 0035 0100 1234"), filler(8)});
  udp_first[6] = 0x20;
  check_layout(decode_packet(101, udp_first), {28, 36, 36, PayloadKind::fragment});

  Bytes v6_first = concat({test::ipv6_header(44, 8 + 27), hex("0600 0001 00000001"), test::small_tcp_segment()});
  auto first6 = decode_packet(229, v6_first);
  CHECK(first6.outcome == DecodeOutcome::fragment);
  CHECK(first6.fragment_bytes == 27);
  check_layout(first6, {68, 75, 75, PayloadKind::fragment});
  Bytes v6_later = concat({test::ipv6_header(44, 8 + 27), hex("0600 0008 00000001"), test::small_tcp_segment()});
  check_layout(decode_packet(229, v6_later), {48, 75, 75, PayloadKind::fragment});
}

TEST_CASE("layout: PPPoE's length and an inner packet's end bound the packet") {
  Bytes pppoe = concat({test::ethernet_header(0x8864), hex("1100 0001 0031 0021"), test::ipv4_small_tcp(), filler(4)});
  check_layout(decode_packet(1, pppoe), {62, 69, 69, PayloadKind::tcp});

  // VXLAN carrying a padded inner frame: the inner padding is past the inner IP packet.
  Bytes inner = concat({test::ethernet_header(0x0800), test::ipv4_small_tcp(), filler(3)});
  Bytes vxlan = concat({hex("0800 0000 000001 00"), inner});
  Bytes udp =
      concat({hex("c000 12b5"), {uint8_t((8 + vxlan.size()) >> 8), uint8_t(8 + vxlan.size())}, hex("0000"), vxlan});
  check_layout(decode_packet(101, concat({test::ipv4_header(17, udp.size()), udp})),
               {20 + 8 + 8 + 54, 20 + 8 + 8 + 61, 20 + 8 + 8 + 61, PayloadKind::tcp});
}

#include <catch2/catch.hpp>

#include "common/checksum.h"
#include "common/decode/decoder.h"
#include "packet_bytes.h"

using namespace pktmask;

TEST_CASE("ones_complement_sum matches the RFC 1071 example") {
  auto bytes = test::hex("00 01 f2 03 f4 f5 f6 f7");
  CHECK(ones_complement_sum(bytes, 0) == 0xddf2);
}

TEST_CASE("ones_complement_sum pads an odd byte and adds the initial sum") {
  auto bytes = test::hex("ab");
  CHECK(ones_complement_sum(bytes, 0) == 0xab00);
  CHECK(ones_complement_sum(bytes, 0x0100) == 0xac00);
  auto carry = test::hex("ff ff ff ff ff ff ff ff 00 01");
  CHECK(ones_complement_sum(carry, 0) == 0x0001);  // 0xffff is minus zero
}

TEST_CASE("tcp checksum verifies a known-good packet and catches a flipped byte") {
  // A real SYN from testdata/tls/tls12_openssl.pcap (Ethernet/IPv4/TCP), checksum 0x338f.
  auto packet = test::hex(
      "cae9748a1d177240192a45e508004500003c3e7a40004006701ac6120002c6120001"
      "90521151208942d500000000a002faf0338f0000020405b40402080aa8f7df5b000000000103030a");
  auto decoded = decode_packet(1, packet);
  REQUIRE(decoded.outcome == DecodeOutcome::tcp);
  CHECK(tcp_checksum_ok(packet, decoded.tcp));
  packet[40] ^= 1;
  CHECK_FALSE(tcp_checksum_ok(packet, decoded.tcp));
}

TEST_CASE("tcp_checksum_update makes a modified segment verify again") {
  auto packet = test::tcp_packet(1000, 0x18, test::hex("17 03 03 00 03 aa bb cc"));
  auto decoded = decode_packet(1, packet);
  REQUIRE(tcp_checksum_ok(packet, decoded.tcp));
  packet[packet.size() - 1] = 0;
  CHECK_FALSE(tcp_checksum_ok(packet, decoded.tcp));
  tcp_checksum_update(packet, decoded.tcp);
  CHECK(tcp_checksum_ok(packet, decoded.tcp));
}

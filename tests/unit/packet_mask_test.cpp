// PacketMasker on single packets built byte by byte: what it zeroes, which
// checksums it repairs and what it counts. Expected bytes are written out or
// derived from the input by zeroing hand-counted offsets; expected checksums
// come from the RFC 1071 sum written out below, not from common/checksum.

#include <catch2/catch.hpp>

#include "common/decode/decoder.h"
#include "masker/packet_mask.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;

namespace {

using test::filler;
using test::kSmallPayload;

const KeptRange kEverything[] = {{0, 1u << 30}};

// Sets the checksum field at `field` over bytes [from, to) plus a pseudo-header sum.
void set_checksum(Bytes& bytes, size_t field, size_t from, size_t to, uint32_t pseudo) {
  bytes[field] = bytes[field + 1] = 0;
  uint32_t sum = pseudo;
  for (size_t i = from; i < to; i += 2) sum += uint32_t(bytes[i] << 8 | (i + 1 < to ? bytes[i + 1] : 0));
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  bytes[field] = uint8_t(~sum >> 8);
  bytes[field + 1] = uint8_t(~sum);
}

void zero(Bytes& bytes, size_t from, size_t to) { std::fill(bytes.begin() + long(from), bytes.begin() + long(to), 0); }

struct Masked {
  Bytes bytes;
  MaskCounters counters;
};

Masked mask(uint32_t link_type, Bytes packet, const PolicySettings& policy = {}, TcpKeep tcp = {}) {
  Masked result;
  DecodedPacket decoded = decode_packet(link_type, packet);
  PacketMasker masker(policy, result.counters);
  masker.mask(packet, decoded, tcp);
  result.bytes = std::move(packet);
  return result;
}

const ByteCounts& counts(const MaskCounters& counters, ByteClass byte_class) {
  return counters.bytes[static_cast<size_t>(byte_class)];
}

// 10.0.0.1 + 10.0.0.2, the addresses of test::ipv4_header()
constexpr uint32_t kIpv4Addresses = 0x0a00 + 0x0001 + 0x0a00 + 0x0002;
// fd00::1 + fd00::2, those of test::ipv6_header()
constexpr uint32_t kIpv6Addresses = 0xfd00 + 0x0001 + 0xfd00 + 0x0002;

}  // namespace

TEST_CASE("masker zeroes ICMP echo data and fixes the checksum") {
  Bytes packet = concat({test::ipv4_header(1, 12), hex("0800 3337 0001 0001 61626364")});
  Bytes expected = concat({test::ipv4_header(1, 12), hex("0800 f7fd 0001 0001 00000000")});
  Masked masked = mask(101, packet);
  CHECK(masked.bytes == expected);
  CHECK(counts(masked.counters, ByteClass::icmp).zeroed == 4);
  CHECK(masked.counters.checksums_fixed == 1);
}

TEST_CASE("masker keeps an ICMP fragmentation-needed quote's headers and zeroes the quoted payload") {
  Bytes packet = concat({test::ipv4_header(1, 8 + 47), hex("0304 0000 0000 05dc"), test::ipv4_small_tcp()});
  set_checksum(packet, 22, 20, packet.size(), 0);
  Bytes expected = packet;
  zero(expected, 20 + 8 + 20 + 8, packet.size());  // past the quoted IP header and 8 TCP bytes
  set_checksum(expected, 22, 20, expected.size(), 0);
  Masked masked = mask(101, packet);
  CHECK(masked.bytes == expected);
  CHECK(counts(masked.counters, ByteClass::icmp).zeroed == 19);
}

TEST_CASE("masker keeps an ICMPv6 packet-too-big quote's headers and fixes the checksum over the pseudo-header") {
  Bytes packet = concat({test::ipv6_header(58, 8 + 67), hex("0200 0000 0000 0500"), test::ipv6_small_tcp()});
  set_checksum(packet, 42, 40, packet.size(), kIpv6Addresses + 58 + 75);
  Bytes expected = packet;
  zero(expected, 40 + 8 + 40 + 8, packet.size());
  set_checksum(expected, 42, 40, expected.size(), kIpv6Addresses + 58 + 75);
  CHECK(mask(229, packet).bytes == expected);
}

TEST_CASE("masker zeroes UDP payloads and excess bytes, fixing a checksum that verified") {
  Bytes packet = concat({test::ipv4_header(17, 15), hex("c350 0035 000c 0000 aabbccdd"), filler(3)});
  set_checksum(packet, 26, 20, 32, kIpv4Addresses + 17 + 12);
  Bytes expected = packet;
  zero(expected, 28, 35);
  set_checksum(expected, 26, 20, 32, kIpv4Addresses + 17 + 12);
  Masked masked = mask(101, packet);
  CHECK(masked.bytes == expected);
  CHECK(counts(masked.counters, ByteClass::udp).zeroed == 4);
  CHECK(counts(masked.counters, ByteClass::undecoded).zeroed == 3);
  CHECK(masked.counters.undecoded_packets[static_cast<size_t>(UndecodedReason::udp_excess)] == 1);
  CHECK(masked.counters.checksums_fixed == 1);

  Bytes unverified = packet;
  unverified[27] ^= 0x01;
  Masked left = mask(101, unverified);
  CHECK(left.counters.checksums_left_unverified == 1);
  CHECK(left.bytes[26] == unverified[26]);
  CHECK(left.bytes[27] == unverified[27]);
}

TEST_CASE("masker leaves a zero IPv4 UDP checksum zero and keeps keep-udp ports") {
  Bytes packet = concat({test::ipv4_header(17, 12), hex("c350 0035 000c 0000 aabbccdd")});
  CHECK(mask(101, packet).bytes == concat({test::ipv4_header(17, 12), hex("c350 0035 000c 0000 00000000")}));
  PolicySettings keep_dns;
  keep_dns.keep_udp = {53};
  Masked kept = mask(101, packet, keep_dns);
  CHECK(kept.bytes == packet);
  CHECK(counts(kept.counters, ByteClass::udp).kept == 4);
}

TEST_CASE("masker zeroes a TCP packet's trailer without touching its checksum") {
  Bytes packet = concat({test::tcp_packet(7, 0x18, kSmallPayload), filler(5)});
  Bytes expected = packet;
  zero(expected, 61, 66);
  Masked masked = mask(1, packet, {}, {kEverything, 0});
  CHECK(masked.bytes == expected);
  CHECK(masked.counters.tcp_payload_bytes_kept == 7);
  CHECK(counts(masked.counters, ByteClass::trailer).zeroed == 5);
  CHECK(masked.counters.checksums_fixed == 0);
}

TEST_CASE("masker zeroes undecoded bytes unless undecoded=keep; trailers always") {
  Bytes sctp = concat({test::ethernet_header(0x0800), test::ipv4_header(132, 12), filler(12, 1), filler(6)});
  Bytes zeroed = sctp;
  zero(zeroed, 34, 52);
  Masked masked = mask(1, sctp);
  CHECK(masked.bytes == zeroed);
  CHECK(counts(masked.counters, ByteClass::undecoded).zeroed == 12);
  CHECK(counts(masked.counters, ByteClass::trailer).zeroed == 6);
  CHECK(masked.counters.undecoded_packets[static_cast<size_t>(UndecodedReason::ip_protocol)] == 1);

  PolicySettings keep;
  keep.undecoded = UndecodedMode::keep;
  Bytes trailer_only = sctp;
  zero(trailer_only, 46, 52);
  CHECK(mask(1, sctp, keep).bytes == trailer_only);

  Bytes unknown_link = hex("0102 0304 0506");
  CHECK(mask(147, unknown_link).bytes == hex("0000 0000 0000"));
  CHECK(mask(147, unknown_link, keep).bytes == unknown_link);
}

TEST_CASE("masker zeroes a fragment's payload, keeping the first fragment's transport header") {
  Bytes first = test::ipv4_small_tcp();
  first[6] = 0x20;
  Bytes expected = first;
  zero(expected, 40, 47);
  Masked masked = mask(101, first);
  CHECK(masked.bytes == expected);
  CHECK(counts(masked.counters, ByteClass::fragment).zeroed == 7);

  Bytes later = concat({test::ipv6_header(44, 8 + 27), hex("0600 0008 00000001"), test::small_tcp_segment()});
  Bytes later_expected = later;
  zero(later_expected, 48, 75);
  CHECK(mask(229, later).bytes == later_expected);
}

TEST_CASE("masker repairs a tunnel's outer UDP checksum when it zeroes an inner trailer") {
  Bytes inner = concat({test::ethernet_header(0x0800), test::ipv4_small_tcp(), filler(3)});
  Bytes vxlan = concat({hex("0800 0000 000001 00"), inner});
  size_t udp_length = 8 + vxlan.size();
  Bytes packet = concat({test::ipv4_header(17, udp_length),
                         hex("c000 12b5"),
                         {uint8_t(udp_length >> 8), uint8_t(udp_length)},
                         hex("0000"),
                         vxlan});
  set_checksum(packet, 26, 20, packet.size(), kIpv4Addresses + 17 + uint32_t(udp_length));
  Bytes expected = packet;
  zero(expected, packet.size() - 3, packet.size());
  set_checksum(expected, 26, 20, expected.size(), kIpv4Addresses + 17 + uint32_t(udp_length));
  Masked masked = mask(101, packet, {}, {kEverything, 0});
  CHECK(masked.bytes == expected);
  CHECK(masked.counters.outer_checksums_fixed == 1);
}

TEST_CASE("masker under tls-only masks TCP payloads only") {
  PolicySettings tls_only = profile_settings(Profile::tls_only);
  Bytes udp = concat(
      {test::ethernet_header(0x0800), test::ipv4_header(17, 12), hex("c350 0035 000c 0000 aabbccdd"), filler(10)});
  Masked masked = mask(1, udp, tls_only);
  CHECK(masked.bytes == udp);
  CHECK(counts(masked.counters, ByteClass::udp).kept == 4);
  CHECK(counts(masked.counters, ByteClass::trailer).kept == 10);

  Bytes tcp = concat({test::tcp_packet(7, 0x18, kSmallPayload), filler(5)});
  Bytes expected = tcp;
  zero(expected, 54, 61);
  set_checksum(expected, 34 + 16, 34, 61, kIpv4Addresses + 6 + 27);
  CHECK(mask(1, tcp, tls_only).bytes == expected);
}

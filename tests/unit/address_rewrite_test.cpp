// Rewriting addresses on the way out (masker/address_rewrite.h): every
// address the packet carries is replaced by the keyed mapping of the
// original, and every checksum the test computed for the packet (with its own
// one's-complement sum, address_packets.h) still verifies after.

#include <algorithm>
#include <catch2/catch.hpp>

#include "address_packets.h"
#include "common/anon/address_anonymizer.h"
#include "common/decode/decoder.h"
#include "masker/address_rewrite.h"
#include "masker/packet_mask.h"

using namespace pktmask;
using test::Bytes;

namespace {

AnonKey sample_key() {
  AnonKey key;
  for (size_t i = 0; i < key.bytes.size(); ++i) key.bytes[i] = uint8_t(i * 37 + 11);
  return key;
}

AnonSettings ip_and_mac() {
  AnonSettings settings;
  settings.ip = settings.mac = true;
  return settings;
}

bool contains(const Bytes& packet, const Bytes& needle) {
  return std::search(packet.begin(), packet.end(), needle.begin(), needle.end()) != packet.end();
}

// Rewrites the packet and checks its addresses and checksums; returns the rewritten bytes.
Bytes check_rewrite(const test::AddressPacket& built, uint32_t link_type = 1) {
  for (const test::Sum& sum : built.sums) REQUIRE(test::checksum_ok(built.bytes, sum));
  Bytes packet = built.bytes;
  DecodedPacket decoded = decode_packet(link_type, packet);
  REQUIRE(decoded.addresses.site_count > 0);
  AddressAnonymizer anonymizer(sample_key(), ip_and_mac()), mapping(sample_key(), ip_and_mac());
  AnonCounters counters;
  rewrite_addresses(packet, decoded.addresses, anonymizer, counters);

  for (size_t i = 0; i < decoded.addresses.site_count; ++i) {
    const AddressSite& site = decoded.addresses.sites[i];
    const size_t size = address_size(site.kind);
    Bytes original = test::slice(built.bytes, site.offset, site.offset + size);
    Bytes expected(size);
    mapping.anonymize(site.kind, original.data(), expected.data());
    CHECK(test::slice(packet, site.offset, site.offset + size) == expected);
    CHECK_FALSE(contains(packet, original));
  }
  for (const test::Sum& sum : built.sums) {
    INFO("checksum field at " << sum.field);
    CHECK(test::checksum_ok(packet, sum));
  }
  CHECK(counters.ipv4 + counters.ipv6 + counters.mac == decoded.addresses.site_count);
  CHECK(counters.checksums_updated == built.sums.size());
  return packet;
}

}  // namespace

TEST_CASE("address rewrite: TCP over IPv4") { check_rewrite(test::tcp_ipv4()); }

TEST_CASE("address rewrite: UDP over IPv6") { check_rewrite(test::udp_ipv6()); }

TEST_CASE("address rewrite: an absent UDP checksum stays 0") {
  Bytes packet = check_rewrite(test::udp_checksum_zero());
  CHECK(packet[40] == 0);
  CHECK(packet[41] == 0);
}

TEST_CASE("address rewrite: an ICMP error quoting UDP") { check_rewrite(test::icmp_error_udp()); }

TEST_CASE("address rewrite: an ICMPv6 error quoting TCP, the masker leaves the quoted TCP checksum zero") {
  test::AddressPacket built = test::icmpv6_error_tcp();
  const test::Sum icmpv6 = built.sums[1];
  PolicySettings policy;
  MaskCounters mask_counters;
  AddressAnonymizer anonymizer(sample_key(), ip_and_mac());
  PacketMasker masker(policy, mask_counters, nullptr, &anonymizer);
  Bytes packet = built.bytes;
  masker.mask(packet, decode_packet(1, packet), {});
  // ICMPv6 data from 110, the quoted TCP checksum at 118 among it, is zero.
  CHECK(std::all_of(packet.begin() + 110, packet.end(), [](uint8_t byte) { return byte == 0; }));
  CHECK(test::slice(packet, 70, 102) != test::slice(built.bytes, 70, 102));
  CHECK(test::checksum_ok(packet, icmpv6));
}

TEST_CASE("address rewrite: UDP after a loose source route, its pseudo-header holding the final destination") {
  check_rewrite(test::loose_source_route_udp());
}

TEST_CASE("address rewrite: an ICMP error quoting IPv4 with route options") {
  check_rewrite(test::icmp_error_quoting_options());
}

TEST_CASE("address rewrite: an ICMPv6 error quoting an IPv6 routing header") {
  check_rewrite(test::icmpv6_error_quoting_routing());
}

TEST_CASE("address rewrite: a redirect with link-layer and redirected-header options") {
  check_rewrite(test::nd_redirect());
}

TEST_CASE("address rewrite: VXLAN with an outer UDP checksum") { check_rewrite(test::vxlan()); }

TEST_CASE("address rewrite: GRE with a checksum") { check_rewrite(test::gre_checksum()); }

TEST_CASE("address rewrite: IP in IP") { check_rewrite(test::ip_in_ip()); }

TEST_CASE("address rewrite: IPv4 record route") { check_rewrite(test::record_route()); }

TEST_CASE("address rewrite: IPv6 routing headers of type 0 and 2") {
  check_rewrite(test::routing_header(0));
  check_rewrite(test::routing_header(2));
}

TEST_CASE("address rewrite: ARP") { check_rewrite(test::arp()); }

TEST_CASE("address rewrite: SLL") { check_rewrite(test::sll(), 113); }

TEST_CASE("address rewrite: a TCP checksum that did not verify stays off by the same amount") {
  test::AddressPacket built = test::tcp_ipv4();
  const test::Sum tcp = built.sums[0];
  built.bytes[tcp.field + 1] ^= 0x05;
  uint16_t residue = test::checksum_residue(built.bytes, tcp);
  REQUIRE(residue != 0xffff);
  Bytes packet = built.bytes;
  AddressAnonymizer anonymizer(sample_key(), ip_and_mac());
  AnonCounters counters;
  rewrite_addresses(packet, decode_packet(1, packet).addresses, anonymizer, counters);
  CHECK(packet != built.bytes);
  CHECK(test::checksum_residue(packet, tcp) == residue);
  CHECK(test::checksum_ok(packet, built.sums[1]));
}

TEST_CASE("address rewrite: MACs alone leave IP addresses and checksums as they are") {
  test::AddressPacket built = test::tcp_ipv4();
  Bytes packet = built.bytes;
  AnonSettings settings;
  settings.mac = true;
  AddressAnonymizer anonymizer(sample_key(), settings);
  AnonCounters counters;
  rewrite_addresses(packet, decode_packet(1, packet).addresses, anonymizer, counters);
  CHECK(test::slice(packet, 12, packet.size()) == test::slice(built.bytes, 12, built.bytes.size()));
  CHECK(test::slice(packet, 0, 12) != test::slice(built.bytes, 0, 12));
  CHECK(counters.mac == 2);
  CHECK(counters.ipv4 == 0);
  CHECK(counters.checksums_updated == 0);
}

TEST_CASE("address rewrite: the masker zeroes an address cut by snaplen and what follows an overflow") {
  PolicySettings policy;
  MaskCounters mask_counters;
  AddressAnonymizer anonymizer(sample_key(), ip_and_mac());
  PacketMasker masker(policy, mask_counters, nullptr, &anonymizer);

  Bytes whole = test::tcp_ipv4().bytes;
  Bytes cut(whole.begin(), whole.begin() + 32);  // the capture ends inside the destination at 30
  masker.mask(cut, decode_packet(1, cut), {});
  CHECK(cut[30] == 0);
  CHECK(cut[31] == 0);
  CHECK(test::slice(cut, 26, 30) != test::slice(whole, 26, 30));
  CHECK(masker.anon_counters().ipv4 == 1);

  // 61 addresses in a routing header at 54: 4 sites before it, 64 fit.
  Bytes header = test::hex("11 7a 00 01 00 00 00 00");
  for (int i = 0; i < 61; ++i) header = test::concat({header, test::hex("fd000000000000000000000000000007")});
  Bytes overflow = test::concat({test::ethernet_header(0x86dd),
                                 test::ipv6_between(43, header.size() + 12, "fd000000000000000000000000000001",
                                                    "fd000000000000000000000000000002"),
                                 header, test::udp_header(9999, 12), test::filler(4)});
  policy.undecoded = UndecodedMode::keep;
  masker.mask(overflow, decode_packet(1, overflow), {});
  CHECK(std::all_of(overflow.begin() + 54, overflow.end(), [](uint8_t byte) { return byte == 0; }));
  CHECK(masker.anon_counters().overflowed_packets == 1);
}

TEST_CASE("address rewrite: no checksum field in the bytes an overflow zeroes is filled again") {
  // A type 0 routing header at 54 with 60 addresses fills the layout (64
  // sites); the neighbour solicitation at 1022 after it records its checksum
  // at 1024, then finds no room for its target: it is zeroed from 1022.
  Bytes header = test::hex("3a 78 00 01 00 00 00 00");
  for (int i = 0; i < 60; ++i) header = test::concat({header, test::hex("fd000000000000000000000000000007")});
  Bytes solicitation =
      test::concat({test::hex("87 00 12 34 00 00 00 00"), test::hex("fd000000000000000000000000000009")});
  Bytes packet =
      test::concat({test::ethernet_header(0x86dd),
                    test::ipv6_between(43, header.size() + solicitation.size(), "fd000000000000000000000000000001",
                                       "fd000000000000000000000000000002"),
                    header, solicitation});
  REQUIRE(packet.size() == 1046);
  PolicySettings policy;
  policy.undecoded = UndecodedMode::keep;
  MaskCounters mask_counters;
  AddressAnonymizer anonymizer(sample_key(), ip_and_mac());
  PacketMasker masker(policy, mask_counters, nullptr, &anonymizer);
  masker.mask(packet, decode_packet(1, packet), {});
  CHECK(masker.anon_counters().overflowed_packets == 1);
  CHECK(std::all_of(packet.begin() + 1022, packet.end(), [](uint8_t byte) { return byte == 0; }));
}

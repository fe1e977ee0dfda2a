#pragma once
// Packets with addresses in every place the decoder records them, built byte
// by byte with correct checksums, for the address site and rewrite tests.
// Offsets are counted by hand in the comments; checksums are computed here
// with a one's-complement sum of its own (not common/checksum).

#include <cstddef>
#include <cstdint>
#include <vector>

#include "packet_bytes.h"

namespace pktmask::test {

// A checksum field over [start, start + length), with a pseudo-header of the
// addresses at src and dst (address_length bytes each; 0: no pseudo-header),
// the protocol and the length.
struct Sum {
  size_t field;
  size_t start;
  size_t length;
  size_t src = 0;
  size_t dst = 0;
  size_t address_length = 0;
  uint8_t protocol = 0;
};

struct AddressPacket {
  Bytes bytes;
  std::vector<Sum> sums;  // innermost first
};

// Fills in every checksum of the packet, innermost first.
void set_checksums(AddressPacket& packet);
// The folded sum over the field, its span and pseudo-header: 0xffff when the checksum verifies.
uint16_t checksum_residue(const Bytes& bytes, const Sum& sum);
inline bool checksum_ok(const Bytes& bytes, const Sum& sum) { return checksum_residue(bytes, sum) == 0xffff; }

// 20 + options.size() bytes (a multiple of 4), header checksum left 0.
Bytes ipv4_with_options(uint8_t protocol, size_t payload_length, const Bytes& options,
                        const std::string& src = "0a000001", const std::string& dst = "0a000002");
Bytes ipv6_between(uint8_t next_header, size_t payload_length, const std::string& src, const std::string& dst);
Bytes udp_header(uint16_t dport, size_t length);

// Ethernet 0/6, IPv4 at 14 (src 26, dst 30, checksum 24), TCP at 34 (checksum 50), 27 bytes.
AddressPacket tcp_ipv4();
// Ethernet 0/6, IPv6 at 14 (src 22, dst 38), UDP at 54 (checksum 60), 12 bytes.
AddressPacket udp_ipv6();
// Ethernet, IPv4 at 14, UDP at 34 with checksum 0 (absent).
AddressPacket udp_checksum_zero();
// Ethernet, IPv4 at 14 (checksum 24), ICMP port unreachable at 34 (checksum
// 36), quoting IPv4 at 42 (src 54, dst 58, checksum 52) and UDP at 62 (checksum 68).
AddressPacket icmp_error_udp();
// Ethernet, IPv6 at 14, ICMPv6 destination unreachable at 54 (checksum 56),
// quoting IPv6 at 62 (src 70, dst 86) and a 20-byte TCP header at 102 (checksum 118).
AddressPacket icmpv6_error_tcp();
// Ethernet, IPv6 at 14, a redirect at 54 (checksum 56): target 62,
// destination 78, target link-layer option at 94 (MAC 96), redirected-header
// option at 102 quoting IPv6 at 110 (src 118, dst 134) and UDP at 150 (checksum 156).
AddressPacket nd_redirect();
// Ethernet, IPv4 at 14, UDP at 34 to 4789 (checksum 40), VXLAN at 42,
// Ethernet 50/56, IPv4 at 64 (src 76, dst 80, checksum 74), TCP at 84 (checksum 100).
AddressPacket vxlan();
// Ethernet, IPv4 at 14 (protocol 47), GRE with checksum at 34 (checksum 38),
// Ethernet 42/48, IPv4 at 56 (src 68, dst 72, checksum 66), TCP at 76 (checksum 92).
AddressPacket gre_checksum();
// Ethernet, IPv4 at 14 (protocol 4), IPv4 at 34 (src 46, dst 50, checksum 44), TCP at 54 (checksum 70).
AddressPacket ip_in_ip();
// Ethernet, IPv4 at 14 with 12 bytes of options: record route at 34 with
// slots 37 and 41, end of options at 45; TCP at 46 (checksum 62).
AddressPacket record_route();
// Ethernet, IPv6 at 14 (src 22, dst 38), a routing header of `type` (0, 2 or
// 4) at 54 with addresses from 62, two (one for type 2), segments left 1; UDP after it.
AddressPacket routing_header(uint8_t type);
// Ethernet, IPv4 at 14 (src 26, dst 30, checksum 24) with a no-operation and
// a loose source route at 35 whose pointer names its one slot at 38, the
// final destination; UDP at 42 (checksum 48) with it in its pseudo-header.
AddressPacket loose_source_route_udp();
// Ethernet, IPv4 at 14, ICMP port unreachable at 34 (checksum 36) quoting
// IPv4 at 42 (src 54, dst 58, checksum 52) with a record route at 62 (slot
// 65) and a loose source route at 69 (slot 72, the final destination), then
// UDP at 78 (checksum 84), quoted whole.
AddressPacket icmp_error_quoting_options();
// Ethernet, IPv6 at 14 (src 22, dst 38), ICMPv6 time exceeded at 54
// (checksum 56) quoting IPv6 at 62 (src 70, dst 86) with a type 0 routing
// header at 102 (addresses 110 and 126, the final destination), then UDP at
// 142 (checksum 148), quoted whole.
AddressPacket icmpv6_error_quoting_routing();
// Ethernet, ARP at 14: sender MAC 22, IPv4 28, target MAC 32, IPv4 38.
AddressPacket arp();
// SLL (link type 113) with a 6-byte address at 6, IPv4 at 16 (src 28, dst 32), UDP at 36 (checksum 42).
AddressPacket sll();

}  // namespace pktmask::test

#pragma once
// Builders for real packet bytes used across the unit tests.

#include <cstdint>
#include <string>
#include <vector>

namespace pktmask::test {

using Bytes = std::vector<uint8_t>;

// Parses "de ad be ef" (spaces optional).
Bytes hex(const std::string& text);
Bytes concat(std::initializer_list<Bytes> parts);
// A TLS 1.2 record: 5-byte header, then `length` bytes of `fill`.
Bytes tls_record(uint8_t type, size_t length, uint8_t fill = 0xaa);

// A TCP header (20 bytes, no options) with a zero checksum.
Bytes tcp_header(uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags);
// IPv4 header (20 bytes) with a correct header checksum around `payload_length` bytes.
Bytes ipv4_header(uint8_t protocol, size_t payload_length, const std::string& src = "0a000001",
                  const std::string& dst = "0a000002");
Bytes ipv6_header(uint8_t next_header, size_t payload_length);
Bytes ethernet_header(uint16_t ethertype);
// Ethernet + IPv4 + TCP + payload, with a correct TCP checksum.
Bytes tcp_packet(uint32_t seq, uint8_t flags, const Bytes& payload, uint16_t sport = 40000, uint16_t dport = 443);
// Sets the TCP checksum of a packet whose TCP header starts at `tcp_offset` (IPv4 at tcp_offset - 20).
void fix_ipv4_tcp_checksum(Bytes& packet, size_t tcp_offset);

}  // namespace pktmask::test

#include "address_packets.h"

namespace pktmask::test {

namespace {

const std::string kA6 = "fd000000000000000000000000000001";
const std::string kB6 = "fd000000000000000000000000000002";
const std::string kC6 = "fd000000000000000000000000000103";
const std::string kD6 = "fd000000000000000000000000000104";

uint32_t word_sum(const Bytes& bytes, size_t start, size_t length) {
  uint32_t sum = 0;
  for (size_t i = 0; i < length; ++i) sum += (i % 2 == 0) ? uint32_t(bytes[start + i]) << 8 : bytes[start + i];
  return sum;
}

uint16_t folded(const Bytes& bytes, const Sum& sum) {
  uint32_t total = word_sum(bytes, sum.start, sum.length);
  if (sum.address_length > 0)
    total += word_sum(bytes, sum.src, sum.address_length) + word_sum(bytes, sum.dst, sum.address_length) +
             sum.protocol + uint32_t(sum.length);
  while (total >> 16) total = (total & 0xffff) + (total >> 16);
  return uint16_t(total);
}

Bytes be16(size_t value) { return {uint8_t(value >> 8), uint8_t(value)}; }

AddressPacket finished(Bytes bytes, std::vector<Sum> sums) {
  AddressPacket packet{std::move(bytes), std::move(sums)};
  set_checksums(packet);
  return packet;
}

}  // namespace

void set_checksums(AddressPacket& packet) {
  for (const Sum& sum : packet.sums) {
    packet.bytes[sum.field] = packet.bytes[sum.field + 1] = 0;
    uint16_t value = uint16_t(~folded(packet.bytes, sum));
    if (value == 0 && sum.protocol == 17) value = 0xffff;
    packet.bytes[sum.field] = uint8_t(value >> 8);
    packet.bytes[sum.field + 1] = uint8_t(value);
  }
}

uint16_t checksum_residue(const Bytes& bytes, const Sum& sum) { return folded(bytes, sum); }

Bytes ipv4_with_options(uint8_t protocol, size_t payload_length, const Bytes& options, const std::string& src,
                        const std::string& dst) {
  size_t header = 20 + options.size();
  return concat({{uint8_t(0x40 | header / 4), 0},
                 be16(header + payload_length),
                 hex("12 34 00 00 40"),
                 {protocol},
                 hex("00 00"),
                 hex(src),
                 hex(dst),
                 options});
}

Bytes ipv6_between(uint8_t next_header, size_t payload_length, const std::string& src, const std::string& dst) {
  return concat({hex("60 00 00 00"), be16(payload_length), {next_header, 64}, hex(src), hex(dst)});
}

Bytes udp_header(uint16_t dport, size_t length) {
  return concat({hex("9c 40"), be16(dport), be16(length), hex("00 00")});
}

AddressPacket tcp_ipv4() {
  return finished(concat({ethernet_header(0x0800), ipv4_with_options(6, 27, {}), small_tcp_segment()}),
                  {{50, 34, 27, 26, 30, 4, 6}, {24, 14, 20}});
}

AddressPacket udp_ipv6() {
  return finished(concat({ethernet_header(0x86dd), ipv6_between(17, 12, kA6, kB6), udp_header(9999, 12), filler(4)}),
                  {{60, 54, 12, 22, 38, 16, 17}});
}

AddressPacket udp_checksum_zero() {
  return finished(concat({ethernet_header(0x0800), ipv4_with_options(17, 12, {}), udp_header(9999, 12), filler(4)}),
                  {{24, 14, 20}});
}

AddressPacket icmp_error_udp() {
  return finished(concat({ethernet_header(0x0800), ipv4_with_options(1, 40, {}), hex("03 03 00 00 00 00 00 00"),
                          ipv4_with_options(17, 12, {}, "0a000002", "0a000005"), udp_header(9999, 12), filler(4)}),
                  {{68, 62, 12, 54, 58, 4, 17}, {52, 42, 20}, {36, 34, 40}, {24, 14, 20}});
}

AddressPacket icmpv6_error_tcp() {
  return finished(concat({ethernet_header(0x86dd), ipv6_between(58, 68, kA6, kB6), hex("01 04 00 00 00 00 00 00"),
                          ipv6_between(6, 20, kB6, kC6), tcp_header(40000, 443, 9, 0x12)}),
                  {{118, 102, 20, 70, 86, 16, 6}, {56, 54, 68, 22, 38, 16, 58}});
}

AddressPacket nd_redirect() {
  return finished(concat({ethernet_header(0x86dd), ipv6_between(58, 104, kA6, kB6), hex("89 00 00 00 00 00 00 00"),
                          hex(kC6), hex(kD6), hex("02 01 02 00 00 00 00 99"), hex("04 07 00 00 00 00 00 00"),
                          ipv6_between(17, 8, kB6, kD6), udp_header(9999, 8)}),
                  {{156, 150, 8, 118, 134, 16, 17}, {56, 54, 104, 22, 38, 16, 58}});
}

AddressPacket vxlan() {
  return finished(concat({ethernet_header(0x0800), ipv4_with_options(17, 77, {}), udp_header(4789, 77),
                          hex("08 00 00 00 00 00 01 00"), ethernet_header(0x0800),
                          ipv4_with_options(6, 27, {}, "0a000103", "0a000104"), small_tcp_segment()}),
                  {{100, 84, 27, 76, 80, 4, 6}, {74, 64, 20}, {40, 34, 77, 26, 30, 4, 17}, {24, 14, 20}});
}

AddressPacket gre_checksum() {
  return finished(
      concat({ethernet_header(0x0800), ipv4_with_options(47, 69, {}), hex("80 00 65 58 00 00 00 00"),
              ethernet_header(0x0800), ipv4_with_options(6, 27, {}, "0a000103", "0a000104"), small_tcp_segment()}),
      {{92, 76, 27, 68, 72, 4, 6}, {66, 56, 20}, {38, 34, 69}, {24, 14, 20}});
}

AddressPacket ip_in_ip() {
  return finished(concat({ethernet_header(0x0800), ipv4_with_options(4, 47, {}),
                          ipv4_with_options(6, 27, {}, "0a000103", "0a000104"), small_tcp_segment()}),
                  {{70, 54, 27, 46, 50, 4, 6}, {44, 34, 20}, {24, 14, 20}});
}

AddressPacket record_route() {
  Bytes options = hex("07 0b 0c 0a000063 0a000064 00");
  return finished(concat({ethernet_header(0x0800), ipv4_with_options(6, 27, options), small_tcp_segment()}),
                  {{62, 46, 27, 26, 30, 4, 6}, {24, 14, 32}});
}

AddressPacket loose_source_route_udp() {
  return finished(concat({ethernet_header(0x0800), ipv4_with_options(17, 12, hex("01 83 07 04 0a000063")),
                          udp_header(9999, 12), filler(4)}),
                  {{48, 42, 12, 26, 38, 4, 17}, {24, 14, 28}});
}

AddressPacket icmp_error_quoting_options() {
  Bytes options = hex("07 07 04 0a000063 83 07 04 0a000064 00 00");
  return finished(concat({ethernet_header(0x0800), ipv4_with_options(1, 56, {}), hex("03 03 00 00 00 00 00 00"),
                          ipv4_with_options(17, 12, options, "0a000002", "0a000005"), udp_header(9999, 12), filler(4)}),
                  {{84, 78, 12, 54, 72, 4, 17}, {52, 42, 36}, {36, 34, 56}, {24, 14, 20}});
}

AddressPacket icmpv6_error_quoting_routing() {
  return finished(concat({ethernet_header(0x86dd), ipv6_between(58, 100, kA6, kB6), hex("03 00 00 00 00 00 00 00"),
                          ipv6_between(43, 52, kB6, kC6), hex("11 04 00 01 00 00 00 00"), hex(kC6), hex(kD6),
                          udp_header(9999, 12), filler(4)}),
                  {{148, 142, 12, 70, 126, 16, 17}, {56, 54, 100, 22, 38, 16, 58}});
}

AddressPacket routing_header(uint8_t type) {
  Bytes header = type == 2   ? concat({hex("11 02 02 01 00 00 00 00"), hex(kC6)})
                 : type == 4 ? concat({hex("11 04 04 01 01 00 00 00"), hex(kC6), hex(kD6)})
                             : concat({hex("11 04 00 01 00 00 00 00"), hex(kC6), hex(kD6)});
  size_t udp = 54 + header.size();
  size_t final_destination = type == 0 ? 78 : 62;
  return finished(concat({ethernet_header(0x86dd), ipv6_between(43, header.size() + 12, kA6, kB6), header,
                          udp_header(9999, 12), filler(4)}),
                  {{udp + 6, udp, 12, 22, final_destination, 16, 17}});
}

AddressPacket arp() {
  return finished(
      concat({ethernet_header(0x0806), hex("0001 0800 06 04 0001 020000000001 0a000001 020000000002 0a000002")}), {});
}

AddressPacket sll() {
  return finished(concat({hex("0000 0001 0006 020000000001 0000 0800"), ipv4_with_options(17, 12, {}),
                          udp_header(9999, 12), filler(4)}),
                  {{42, 36, 12, 28, 32, 4, 17}, {26, 16, 20}});
}

}  // namespace pktmask::test

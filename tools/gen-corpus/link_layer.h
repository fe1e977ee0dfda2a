#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace gen_corpus {

// LINKTYPE_* values as written in capture files (tcpdump.org/linktypes).
namespace linktype {
inline constexpr uint32_t null = 0;
inline constexpr uint32_t ethernet = 1;
inline constexpr uint32_t raw_12 = 12;  // DLT_RAW on some BSDs
inline constexpr uint32_t raw_14 = 14;  // DLT_RAW on OpenBSD
inline constexpr uint32_t raw = 101;
inline constexpr uint32_t loop = 108;
inline constexpr uint32_t linux_sll = 113;
inline constexpr uint32_t ipv4 = 228;
inline constexpr uint32_t ipv6 = 229;
inline constexpr uint32_t linux_sll2 = 276;
}  // namespace linktype

namespace ethertype {
inline constexpr uint16_t ipv4 = 0x0800;
inline constexpr uint16_t arp = 0x0806;
inline constexpr uint16_t vlan = 0x8100;
inline constexpr uint16_t ipv6 = 0x86dd;
inline constexpr uint16_t mpls = 0x8847;
inline constexpr uint16_t pppoe_session = 0x8864;
inline constexpr uint16_t qinq = 0x88a8;
}  // namespace ethertype

enum class link_kind { ethernet, linux_sll, linux_sll2, raw_ip, bsd_null, bsd_loop };

struct vlan_tag {
  uint16_t tpid;
  uint16_t vid;
};

// How one interface frames packets. Link headers are written by hand:
// libtins 4.0 stacks Dot1Q tags with the 0x88a8 TPID on the inner tag,
// leaves the PPPoE length at zero, and has no SLL2.
struct link_spec {
  link_kind kind = link_kind::ethernet;
  uint32_t link_type = linktype::ethernet;
  std::vector<vlan_tag> vlan_tags;    // ethernet: outermost first
  std::vector<uint32_t> mpls_labels;  // ethernet: outermost first
  bool pppoe_session = false;         // ethernet
  std::vector<uint8_t> trailer;       // ethernet: bytes after the packet
  bool null_big_endian = false;       // bsd_null: order of the family word
  uint32_t null_ipv6_family = 24;     // bsd_null/bsd_loop: 24, 28 or 30
};

link_spec ethernet_link();
link_spec vlan_link(std::vector<vlan_tag> tags);
link_spec mpls_link(std::vector<uint32_t> labels);
link_spec pppoe_link();
link_spec linux_sll_link();
link_spec linux_sll2_link();
link_spec raw_ip_link(uint32_t link_type);
link_spec bsd_null_link(bool big_endian, uint32_t ipv6_family);
link_spec bsd_loop_link(uint32_t ipv6_family);

struct framed_packet {
  std::vector<uint8_t> bytes;
  size_t header_length;  // where the network-layer packet starts
};

// Wraps a network-layer packet of the given EtherType (IPv4, IPv6, ARP)
// into a frame. Ethernet frames shorter than 60 bytes get zero padding
// unless the spec brings its own trailer.
framed_packet frame_packet(const link_spec& link, uint16_t network_ethertype, std::span<const uint8_t> network_packet);

}  // namespace gen_corpus

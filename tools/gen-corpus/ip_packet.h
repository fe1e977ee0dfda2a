#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace gen_corpus {

// Where a TCP segment sits in a packet, and what its checksum covers.
struct tcp_location {
  size_t tcp_offset = 0;  // first byte of the TCP header
  size_t tcp_length = 0;  // header + payload, as the IP layer declares it
  size_t payload_offset = 0;
  size_t payload_length = 0;
  std::vector<uint8_t> pseudo_header;  // IPv4 or IPv6 pseudo-header, length included

  void shift(size_t by) {
    tcp_offset += by;
    payload_offset += by;
  }
};

// A checksum over bytes masking changes besides the TCP segment's: the
// outer UDP checksum of VXLAN/Geneve, the GRE checksum (C bit), or the
// checksum of a UDP datagram or ICMP/ICMPv6 message whose data is zeroed.
struct outer_checksum_location {
  enum class kind { udp, gre, icmp };
  kind what = kind::udp;
  size_t covered_offset = 0;           // UDP: the UDP header; GRE: the GRE header
  size_t covered_length = 0;           // to the end of the datagram / GRE packet
  size_t field_offset = 0;             // the 16-bit field, inside the covered bytes
  std::vector<uint8_t> pseudo_header;  // UDP, ICMPv6: IPv4 or IPv6, length included; GRE, ICMP: empty
  bool zero_means_absent = false;      // UDP over IPv4: a 0 field is "no checksum"
  bool corrupted = false;              // the builder wrote a wrong value on purpose

  void shift(size_t by) {
    covered_offset += by;
    field_offset += by;
  }
};

struct ip_packet {
  std::vector<uint8_t> bytes;
  uint16_t ethertype = 0;           // of the outermost IP header
  std::optional<tcp_location> tcp;  // set for segments the tool must follow
  // Tunnel checksums around `tcp`, innermost first; for a packet without
  // `tcp`, the UDP or ICMP checksum over what `zeroed` changes.
  std::vector<outer_checksum_location> outer_checksums;
  // Bytes masking policy v2 zeroes besides followed TCP payloads, as
  // [begin, end): UDP payloads, ICMP data and quotes, fragment payloads,
  // everything from a tunnel header the policy does not follow.
  std::vector<std::pair<size_t, size_t>> zeroed;
};

enum class ipv6_ext_kind {
  hop_by_hop,
  destination_options,
  routing_type0,    // via: hops before the final destination
  routing_type2,    // via: the care-of address (the IPv6 destination field)
  atomic_fragment,  // fragment header with offset 0 and M clear
  authentication,
};

struct ipv6_ext {
  ipv6_ext_kind kind;
  std::vector<std::string> via;
};

struct ip_tunnel {
  int version = 4;
  std::string src;
  std::string dst;
};

enum class tunnel_kind { gre, vxlan, geneve };

// A tunnel around the IP packet (RFC 2784/2890 GRE, RFC 7348 VXLAN,
// RFC 8926 Geneve), written by hand: libtins 4.0 has none of them.
struct tunnel_spec {
  tunnel_kind kind = tunnel_kind::gre;
  int outer_version = 4;
  std::string outer_src;
  std::string outer_dst;
  // GRE. protocol 0: the inner IP version's EtherType. 0x6558 puts an
  // Ethernet header before the inner packet, 0x8847 one MPLS label,
  // 0x880b (version 1 only) PPP with address and control bytes.
  uint16_t gre_protocol = 0;
  bool gre_checksum = false;        // C: checksum and reserved words
  std::optional<uint32_t> gre_key;  // K
  bool gre_sequence = false;        // S: the packet's IP ID counts up
  bool gre_routing = false;         // R (RFC 1701): checksum/offset words and an SRE list
  uint8_t gre_version = 0;          // 1: enhanced GRE of PPTP (RFC 2637)
  uint32_t mpls_label = 1234;       // for 0x8847
  // VXLAN and Geneve (both carry an inner Ethernet frame).
  uint16_t udp_src_port = 0;
  uint32_t vni = 0;
  bool udp_checksum = true;  // false: 0 (IPv4 only)
  bool geneve_options = true;
  // Outer UDP checksum or GRE checksum written wrong on purpose.
  bool damage_outer_checksum = false;
  // The inner Ethernet header (0x6558, VXLAN, Geneve).
  std::array<uint8_t, 6> inner_src_mac = {0x02, 0x00, 0x5e, 0x30, 0x00, 0x01};
  std::array<uint8_t, 6> inner_dst_mac = {0x02, 0x00, 0x5e, 0x30, 0x00, 0x02};

  // Whether masking-policy.md has the tool follow this tunnel: not GRE
  // with routing (R bit) or a version other than 0.
  bool followed() const { return kind != tunnel_kind::gre || (gre_version == 0 && !gre_routing); }
};

// The network path of one direction of a flow.
struct ip_route {
  int version = 4;
  std::string src;
  std::string dst;                         // final destination
  bool ipv4_options = false;               // NOP, record route, router alert
  std::vector<ipv6_ext> ipv6_ext_headers;  // wire order
  std::optional<ip_tunnel> outer;          // IP-in-IP encapsulation
  std::optional<tunnel_spec> tunnel;       // GRE/VXLAN/Geneve, around everything above
};

// The opposite direction: addresses swapped (tunnel endpoints and inner
// MAC addresses too), routing headers dropped (the path back is direct),
// other options kept.
ip_route reversed(const ip_route& route);

enum class checksum_damage { none, zeroed, off_by_one };

struct tcp_fields {
  uint16_t src_port = 0;
  uint16_t dst_port = 0;
  uint32_t seq = 0;
  uint32_t ack = 0;
  uint8_t flags = 0;
  uint16_t window = 502;
  bool syn_options = false;           // MSS, SACK permitted, timestamps, window scale
  std::optional<uint32_t> timestamp;  // NOP NOP TS on other segments
  // A wrong TCP checksum (offload, corruption), written before any tunnel
  // around the segment computes its own checksum over it.
  checksum_damage damage = checksum_damage::none;
};

// libtins builds every header and fills every checksum: the TCP, UDP and
// ICMPv6 checksums are computed against the final destination, also when
// a routing header sends the packet elsewhere first.
// Inside a tunnel the tool does not follow, the segment gets no `tcp`.
ip_packet tcp_packet(const ip_route& route, uint16_t ip_id, const tcp_fields& tcp, std::span<const uint8_t> payload);
// The segment split into IP fragments; the first carries `first_size`
// bytes of the segment (a multiple of 8). Fragments are not followed.
std::vector<ip_packet> fragmented_tcp_packet(const ip_route& route, uint16_t ip_id, const tcp_fields& tcp,
                                             std::span<const uint8_t> payload, size_t first_size);
ip_packet udp_packet(const ip_route& route, uint16_t ip_id, uint16_t src_port, uint16_t dst_port,
                     std::span<const uint8_t> payload);
ip_packet icmp_echo_request(const ip_route& route, uint16_t ip_id, uint16_t sequence, std::span<const uint8_t> payload);
// Destination unreachable quoting `quoted` (the start of an offending packet).
ip_packet icmp_unreachable(const ip_route& route, uint16_t ip_id, std::span<const uint8_t> quoted);

// Rewrites the IPv4 total length of a plain IPv4 TCP packet (no tunnel, no
// IP-in-IP) and its header checksum. 0 is what a sender with TCP
// segmentation offload captures: the segment is the whole packet, however
// long. A value beyond the packet declares bytes that are not there: the
// TCP length the fact records grows with it (so its checksum is never
// recomputed), the payload the tool sees stays what the frame holds.
void declare_ipv4_total_length(ip_packet& ip, uint16_t total_length);

}  // namespace gen_corpus

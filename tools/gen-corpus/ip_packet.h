#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace gen_corpus {

// Where a TCP segment sits in a packet, and what its checksum covers.
struct tcp_location {
    size_t tcp_offset = 0; // first byte of the TCP header
    size_t tcp_length = 0; // header + payload, as the IP layer declares it
    size_t payload_offset = 0;
    size_t payload_length = 0;
    std::vector<uint8_t> pseudo_header; // IPv4 or IPv6 pseudo-header, length included

    void shift(size_t by)
    {
        tcp_offset += by;
        payload_offset += by;
    }
};

struct ip_packet {
    std::vector<uint8_t> bytes;
    uint16_t ethertype = 0;          // of the outermost IP header
    std::optional<tcp_location> tcp; // set for segments the tool must follow
};

enum class ipv6_ext_kind {
    hop_by_hop,
    destination_options,
    routing_type0,   // via: hops before the final destination
    routing_type2,   // via: the care-of address (the IPv6 destination field)
    atomic_fragment, // fragment header with offset 0 and M clear
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

// The network path of one direction of a flow.
struct ip_route {
    int version = 4;
    std::string src;
    std::string dst;                        // final destination
    bool ipv4_options = false;              // NOP, record route, router alert
    std::vector<ipv6_ext> ipv6_ext_headers; // wire order
    std::optional<ip_tunnel> outer;         // IP-in-IP encapsulation
};

// The opposite direction: addresses swapped, routing headers dropped (the
// path back is direct), other options kept.
ip_route reversed(const ip_route& route);

struct tcp_fields {
    uint16_t src_port = 0;
    uint16_t dst_port = 0;
    uint32_t seq = 0;
    uint32_t ack = 0;
    uint8_t flags = 0;
    uint16_t window = 502;
    bool syn_options = false;          // MSS, SACK permitted, timestamps, window scale
    std::optional<uint32_t> timestamp; // NOP NOP TS on other segments
};

// libtins builds every header and fills every checksum: the TCP, UDP and
// ICMPv6 checksums are computed against the final destination, also when
// a routing header sends the packet elsewhere first.
ip_packet tcp_packet(const ip_route& route, uint16_t ip_id, const tcp_fields& tcp,
                     std::span<const uint8_t> payload);
// The segment split into IP fragments; the first carries `first_size`
// bytes of the segment (a multiple of 8). Fragments are not followed.
std::vector<ip_packet> fragmented_tcp_packet(const ip_route& route, uint16_t ip_id,
                                             const tcp_fields& tcp,
                                             std::span<const uint8_t> payload, size_t first_size);
ip_packet udp_packet(const ip_route& route, uint16_t ip_id, uint16_t src_port, uint16_t dst_port,
                     std::span<const uint8_t> payload);
ip_packet icmp_echo_request(const ip_route& route, uint16_t ip_id, uint16_t sequence,
                            std::span<const uint8_t> payload);
// Destination unreachable quoting `quoted` (the start of an offending packet).
ip_packet icmp_unreachable(const ip_route& route, uint16_t ip_id, std::span<const uint8_t> quoted);

} // namespace gen_corpus

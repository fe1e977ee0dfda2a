#include "ip_packet.h"

#include <cstring>
#include <stdexcept>

#include <arpa/inet.h>

#include <tins/tins.h>
#include <tins/utils/checksum_utils.h>

#include "byte_writer.h"
#include "link_layer.h"

namespace gen_corpus {

namespace {

namespace protocol {
constexpr uint8_t hop_by_hop = 0;
constexpr uint8_t icmp = 1;
constexpr uint8_t ipv4 = 4;
constexpr uint8_t tcp = 6;
constexpr uint8_t udp = 17;
constexpr uint8_t ipv6 = 41;
constexpr uint8_t routing = 43;
constexpr uint8_t fragment = 44;
constexpr uint8_t authentication = 51;
constexpr uint8_t icmpv6 = 58;
constexpr uint8_t destination_options = 60;
} // namespace protocol

constexpr size_t ipv6_header_size = 40;

struct fragment_spec {
    size_t offset; // bytes into the upper-layer data
    bool more;
    uint32_t id;
};

uint8_t ext_code(ipv6_ext_kind kind)
{
    switch (kind) {
    case ipv6_ext_kind::hop_by_hop: return protocol::hop_by_hop;
    case ipv6_ext_kind::destination_options: return protocol::destination_options;
    case ipv6_ext_kind::routing_type0:
    case ipv6_ext_kind::routing_type2: return protocol::routing;
    case ipv6_ext_kind::atomic_fragment: return protocol::fragment;
    case ipv6_ext_kind::authentication: return protocol::authentication;
    }
    throw std::logic_error("unknown IPv6 extension");
}

bool is_routing(const ipv6_ext& ext)
{
    return ext.kind == ipv6_ext_kind::routing_type0 || ext.kind == ipv6_ext_kind::routing_type2;
}

// Writes an address in network order, as the pseudo-header and routing
// headers hold it.
void address_bytes(byte_writer& w, int version, const std::string& address)
{
    uint8_t raw[16];
    const int family = version == 4 ? AF_INET : AF_INET6;
    if (inet_pton(family, address.c_str(), raw) != 1) {
        throw std::invalid_argument("not an IPv" + std::to_string(version) +
                                    " address: " + address);
    }
    w.bytes(std::span<const uint8_t>(raw, version == 4 ? 4 : 16));
}

void fragment_header(byte_writer& w, uint8_t next, size_t offset, bool more, uint32_t id)
{
    w.u8(next);
    w.u8(0);
    w.u16(static_cast<uint16_t>(offset | (more ? 1u : 0u))); // offset is a multiple of 8
    w.u32(id);
}

// One extension header (RFC 8200 section 4; AH: RFC 4302 section 2).
void ext_header(byte_writer& w, const ipv6_ext& ext, uint8_t next, const std::string& final_dst)
{
    switch (ext.kind) {
    case ipv6_ext_kind::hop_by_hop:
        w.u8(next);
        w.u8(0);
        w.bytes(std::vector<uint8_t>{0x05, 0x02, 0x00, 0x00}); // router alert: MLD
        w.bytes(std::vector<uint8_t>{0x01, 0x00});             // PadN
        break;
    case ipv6_ext_kind::destination_options:
        w.u8(next);
        w.u8(0);
        // An unknown option whose action bits say "skip it".
        w.bytes(std::vector<uint8_t>{0x1e, 0x04, 0xde, 0xad, 0xbe, 0xef});
        break;
    case ipv6_ext_kind::routing_type0: {
        const size_t addresses = ext.via.size(); // via[1..] then the final destination
        w.u8(next);
        w.u8(static_cast<uint8_t>(2 * addresses));
        w.u8(0);
        w.u8(static_cast<uint8_t>(addresses)); // segments left
        w.u32(0);
        for (size_t i = 1; i < ext.via.size(); ++i) {
            address_bytes(w, 6, ext.via[i]);
        }
        address_bytes(w, 6, final_dst);
        break;
    }
    case ipv6_ext_kind::routing_type2:
        w.u8(next);
        w.u8(2);
        w.u8(2);
        w.u8(1); // segments left
        w.u32(0);
        address_bytes(w, 6, final_dst); // home address
        break;
    case ipv6_ext_kind::atomic_fragment: fragment_header(w, next, 0, false, 0x5eed0001); break;
    case ipv6_ext_kind::authentication:
        w.u8(next);
        w.u8(4); // (12 fixed + 12 ICV) / 4 - 2
        w.u16(0);
        w.u32(0x00001001); // SPI
        w.u32(7);          // sequence number
        w.bytes(std::vector<uint8_t>{0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa,
                                     0xab, 0xac}); // ICV
        break;
    }
}

std::string ipv6_destination_field(const ip_route& route)
{
    for (const auto& ext : route.ipv6_ext_headers) {
        if (is_routing(ext)) {
            return ext.via.at(0);
        }
    }
    return route.dst;
}

// The upper-layer bytes as libtins serializes them under a plain IP header
// from src to the final destination, so the checksum uses that pair.
std::vector<uint8_t> upper_layer_bytes(const ip_route& route, const Tins::PDU& upper)
{
    if (route.version == 4) {
        const auto bytes = (Tins::IP(route.dst, route.src) / upper).serialize();
        const size_t header = (bytes.at(0) & 0x0f) * 4u;
        return {bytes.begin() + header, bytes.end()};
    }
    const auto bytes = (Tins::IPv6(route.dst, route.src) / upper).serialize();
    return {bytes.begin() + ipv6_header_size, bytes.end()};
}

struct wrapped {
    std::vector<uint8_t> bytes;
    size_t upper_offset;
};

// libtins 4.0 writes a stray byte after every IPv4 option that has data,
// overwriting what follows, so the options go in by hand: NOP, record route
// with two empty slots, router alert (16 bytes, IHL 9).
void splice_ipv4_options(std::vector<uint8_t>& packet)
{
    const std::vector<uint8_t> options = {0x01, 0x07, 0x0b, 0x04, 0,    0,    0,    0,
                                          0,    0,    0,    0,    0x94, 0x04, 0x00, 0x00};
    constexpr size_t base_header = 20;
    packet.insert(packet.begin() + base_header, options.begin(), options.end());
    const size_t header = base_header + options.size();
    packet[0] = static_cast<uint8_t>(0x40 | header / 4);
    const auto total = static_cast<uint16_t>(packet.size());
    packet[2] = static_cast<uint8_t>(total >> 8);
    packet[3] = static_cast<uint8_t>(total);
    packet[10] = packet[11] = 0;
    // sum_range adds the words as stored, so its complement is stored as is.
    const auto sum =
        static_cast<uint16_t>(~Tins::Utils::sum_range(packet.data(), packet.data() + header));
    std::memcpy(&packet[10], &sum, sizeof sum);
}

wrapped wrap_ipv4(const std::string& src, const std::string& dst, uint16_t ip_id, uint8_t proto,
                  bool with_options, const std::optional<fragment_spec>& fragment,
                  std::span<const uint8_t> upper)
{
    Tins::IP ip(dst, src);
    ip.ttl(64);
    ip.id(ip_id);
    ip.protocol(proto);
    if (fragment) {
        ip.flags(fragment->more ? Tins::IP::MORE_FRAGMENTS : Tins::IP::Flags(0));
        ip.fragment_offset(static_cast<uint16_t>(fragment->offset / 8));
    } else {
        ip.flags(Tins::IP::DONT_FRAGMENT);
    }
    auto bytes = (ip / Tins::RawPDU(upper.begin(), upper.end())).serialize();
    if (with_options) {
        splice_ipv4_options(bytes);
    }
    return {bytes, (bytes.at(0) & 0x0fu) * 4u};
}

wrapped wrap_ipv6(const ip_route& route, uint8_t proto,
                  const std::optional<fragment_spec>& fragment, std::span<const uint8_t> upper)
{
    std::vector<uint8_t> codes;
    for (const auto& ext : route.ipv6_ext_headers) {
        codes.push_back(ext_code(ext.kind));
    }
    if (fragment) {
        codes.push_back(protocol::fragment);
    }
    codes.push_back(proto);

    byte_writer chain;
    for (size_t i = 0; i < route.ipv6_ext_headers.size(); ++i) {
        ext_header(chain, route.ipv6_ext_headers[i], codes[i + 1], route.dst);
    }
    if (fragment) {
        fragment_header(chain, proto, fragment->offset, fragment->more, fragment->id);
    }
    chain.bytes(upper);

    Tins::IPv6 ip6(ipv6_destination_field(route), route.src);
    ip6.hop_limit(64);
    ip6.next_header(codes.front());
    const size_t upper_offset = ipv6_header_size + chain.size() - upper.size();
    const auto& payload = chain.data();
    return {(ip6 / Tins::RawPDU(payload.begin(), payload.end())).serialize(), upper_offset};
}

wrapped wrap_in_ip(const ip_route& route, uint16_t ip_id, uint8_t proto,
                   const std::optional<fragment_spec>& fragment, std::span<const uint8_t> upper)
{
    wrapped inner = route.version == 4 ? wrap_ipv4(route.src, route.dst, ip_id, proto,
                                                   route.ipv4_options, fragment, upper)
                                       : wrap_ipv6(route, proto, fragment, upper);
    if (!route.outer) {
        return inner;
    }
    const ip_tunnel& t = *route.outer;
    const uint8_t inner_proto = route.version == 4 ? protocol::ipv4 : protocol::ipv6;
    ip_route outer_route;
    outer_route.version = t.version;
    outer_route.src = t.src;
    outer_route.dst = t.dst;
    wrapped outer = t.version == 4 ? wrap_ipv4(t.src, t.dst, static_cast<uint16_t>(ip_id ^ 0x5a5a),
                                               inner_proto, false, std::nullopt, inner.bytes)
                                   : wrap_ipv6(outer_route, inner_proto, std::nullopt, inner.bytes);
    outer.upper_offset += inner.upper_offset;
    return outer;
}

uint16_t outer_ethertype(const ip_route& route)
{
    const int version = route.outer ? route.outer->version : route.version;
    return version == 4 ? ethertype::ipv4 : ethertype::ipv6;
}

std::vector<uint8_t> pseudo_header(const ip_route& route, size_t tcp_length)
{
    byte_writer w;
    if (route.version == 4) {
        address_bytes(w, 4, route.src);
        address_bytes(w, 4, route.dst);
        w.u8(0);
        w.u8(protocol::tcp);
        w.u16(static_cast<uint16_t>(tcp_length));
    } else {
        address_bytes(w, 6, route.src);
        address_bytes(w, 6, route.dst);
        w.u32(static_cast<uint32_t>(tcp_length));
        w.zeros(3);
        w.u8(protocol::tcp);
    }
    return w.take();
}

Tins::TCP make_tcp(const tcp_fields& f)
{
    Tins::TCP tcp(f.dst_port, f.src_port);
    tcp.seq(f.seq);
    tcp.ack_seq(f.ack);
    tcp.flags(f.flags);
    tcp.window(f.window);
    if (f.syn_options) {
        // The option layout of a Linux SYN.
        tcp.mss(1460);
        tcp.sack_permitted();
        tcp.timestamp(f.timestamp.value_or(1), 0);
        tcp.add_option(Tins::TCP::option(Tins::TCP::NOP));
        tcp.winscale(7);
    } else if (f.timestamp) {
        tcp.add_option(Tins::TCP::option(Tins::TCP::NOP));
        tcp.add_option(Tins::TCP::option(Tins::TCP::NOP));
        tcp.timestamp(*f.timestamp, *f.timestamp - 7);
    }
    return tcp;
}

std::vector<uint8_t> tcp_segment_bytes(const ip_route& route, const tcp_fields& fields,
                                       std::span<const uint8_t> payload)
{
    const Tins::TCP tcp = make_tcp(fields);
    if (payload.empty()) {
        return upper_layer_bytes(route, tcp);
    }
    return upper_layer_bytes(route, tcp / Tins::RawPDU(payload.begin(), payload.end()));
}

} // namespace

ip_route reversed(const ip_route& route)
{
    ip_route back = route;
    std::swap(back.src, back.dst);
    if (back.outer) {
        std::swap(back.outer->src, back.outer->dst);
    }
    std::erase_if(back.ipv6_ext_headers, is_routing);
    return back;
}

ip_packet tcp_packet(const ip_route& route, uint16_t ip_id, const tcp_fields& fields,
                     std::span<const uint8_t> payload)
{
    const auto segment = tcp_segment_bytes(route, fields, payload);
    wrapped w = wrap_in_ip(route, ip_id, protocol::tcp, std::nullopt, segment);

    tcp_location where;
    where.tcp_offset = w.upper_offset;
    where.tcp_length = segment.size();
    where.payload_length = payload.size();
    where.payload_offset = w.upper_offset + segment.size() - payload.size();
    where.pseudo_header = pseudo_header(route, segment.size());
    return {std::move(w.bytes), outer_ethertype(route), std::move(where)};
}

std::vector<ip_packet> fragmented_tcp_packet(const ip_route& route, uint16_t ip_id,
                                             const tcp_fields& fields,
                                             std::span<const uint8_t> payload, size_t first_size)
{
    if (first_size % 8 != 0) {
        throw std::invalid_argument("fragment size must be a multiple of 8");
    }
    const auto segment = tcp_segment_bytes(route, fields, payload);
    const std::span<const uint8_t> all(segment);
    const fragment_spec first{0, true, 0x0f0f0000u + ip_id};
    const fragment_spec second{first_size, false, first.id};
    return {
        {wrap_in_ip(route, ip_id, protocol::tcp, first, all.first(first_size)).bytes,
         outer_ethertype(route), std::nullopt},
        {wrap_in_ip(route, ip_id, protocol::tcp, second, all.subspan(first_size)).bytes,
         outer_ethertype(route), std::nullopt},
    };
}

ip_packet udp_packet(const ip_route& route, uint16_t ip_id, uint16_t src_port, uint16_t dst_port,
                     std::span<const uint8_t> payload)
{
    const auto datagram = upper_layer_bytes(
        route, Tins::UDP(dst_port, src_port) / Tins::RawPDU(payload.begin(), payload.end()));
    return {wrap_in_ip(route, ip_id, protocol::udp, std::nullopt, datagram).bytes,
            outer_ethertype(route), std::nullopt};
}

ip_packet icmp_echo_request(const ip_route& route, uint16_t ip_id, uint16_t sequence,
                            std::span<const uint8_t> payload)
{
    if (route.version != 4) {
        throw std::invalid_argument("icmp_echo_request builds ICMPv4 only");
    }
    Tins::ICMP icmp(Tins::ICMP::ECHO_REQUEST);
    icmp.id(0x4242);
    icmp.sequence(sequence);
    const auto message =
        upper_layer_bytes(route, icmp / Tins::RawPDU(payload.begin(), payload.end()));
    return {wrap_in_ip(route, ip_id, protocol::icmp, std::nullopt, message).bytes,
            outer_ethertype(route), std::nullopt};
}

ip_packet icmp_unreachable(const ip_route& route, uint16_t ip_id, std::span<const uint8_t> quoted)
{
    const Tins::RawPDU quote(quoted.begin(), quoted.end());
    if (route.version == 4) {
        Tins::ICMP icmp(Tins::ICMP::DEST_UNREACHABLE);
        icmp.code(1); // host unreachable
        const auto message = upper_layer_bytes(route, icmp / quote);
        return {wrap_in_ip(route, ip_id, protocol::icmp, std::nullopt, message).bytes,
                outer_ethertype(route), std::nullopt};
    }
    Tins::ICMPv6 icmp(Tins::ICMPv6::DEST_UNREACHABLE);
    icmp.code(3); // address unreachable
    const auto message = upper_layer_bytes(route, icmp / quote);
    return {wrap_in_ip(route, ip_id, protocol::icmpv6, std::nullopt, message).bytes,
            outer_ethertype(route), std::nullopt};
}

} // namespace gen_corpus

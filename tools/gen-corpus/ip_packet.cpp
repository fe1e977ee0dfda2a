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
constexpr uint8_t gre = 47;
constexpr uint8_t routing = 43;
constexpr uint8_t fragment = 44;
constexpr uint8_t authentication = 51;
constexpr uint8_t icmpv6 = 58;
constexpr uint8_t destination_options = 60;
}  // namespace protocol

constexpr size_t ipv6_header_size = 40;

namespace tunnel_constant {
constexpr uint16_t vxlan_port = 4789;
constexpr uint16_t geneve_port = 6081;
constexpr uint16_t transparent_ethernet = 0x6558;
constexpr uint16_t ppp = 0x880b;
constexpr uint16_t ppp_ipv4 = 0x0021;
constexpr uint16_t ppp_ipv6 = 0x0057;
constexpr uint16_t gre_c = 0x8000;
constexpr uint16_t gre_r = 0x4000;
constexpr uint16_t gre_k = 0x2000;
constexpr uint16_t gre_s = 0x1000;
constexpr size_t udp_checksum_at = 6;
}  // namespace tunnel_constant

struct fragment_spec {
  size_t offset;  // bytes into the upper-layer data
  bool more;
  uint32_t id;
};

uint8_t ext_code(ipv6_ext_kind kind) {
  switch (kind) {
    case ipv6_ext_kind::hop_by_hop:
      return protocol::hop_by_hop;
    case ipv6_ext_kind::destination_options:
      return protocol::destination_options;
    case ipv6_ext_kind::routing_type0:
    case ipv6_ext_kind::routing_type2:
      return protocol::routing;
    case ipv6_ext_kind::atomic_fragment:
      return protocol::fragment;
    case ipv6_ext_kind::authentication:
      return protocol::authentication;
  }
  throw std::logic_error("unknown IPv6 extension");
}

bool is_routing(const ipv6_ext& ext) {
  return ext.kind == ipv6_ext_kind::routing_type0 || ext.kind == ipv6_ext_kind::routing_type2;
}

// Writes an address in network order, as the pseudo-header and routing
// headers hold it.
void address_bytes(byte_writer& w, int version, const std::string& address) {
  uint8_t raw[16];
  const int family = version == 4 ? AF_INET : AF_INET6;
  if (inet_pton(family, address.c_str(), raw) != 1) {
    throw std::invalid_argument("not an IPv" + std::to_string(version) + " address: " + address);
  }
  w.bytes(std::span<const uint8_t>(raw, version == 4 ? 4 : 16));
}

void fragment_header(byte_writer& w, uint8_t next, size_t offset, bool more, uint32_t id) {
  w.u8(next);
  w.u8(0);
  w.u16(static_cast<uint16_t>(offset | (more ? 1u : 0u)));  // offset is a multiple of 8
  w.u32(id);
}

// One extension header (RFC 8200 section 4; AH: RFC 4302 section 2).
void ext_header(byte_writer& w, const ipv6_ext& ext, uint8_t next, const std::string& final_dst) {
  switch (ext.kind) {
    case ipv6_ext_kind::hop_by_hop:
      w.u8(next);
      w.u8(0);
      w.bytes(std::vector<uint8_t>{0x05, 0x02, 0x00, 0x00});  // router alert: MLD
      w.bytes(std::vector<uint8_t>{0x01, 0x00});              // PadN
      break;
    case ipv6_ext_kind::destination_options:
      w.u8(next);
      w.u8(0);
      // An unknown option whose action bits say "skip it".
      w.bytes(std::vector<uint8_t>{0x1e, 0x04, 0xde, 0xad, 0xbe, 0xef});
      break;
    case ipv6_ext_kind::routing_type0: {
      const size_t addresses = ext.via.size();  // via[1..] then the final destination
      w.u8(next);
      w.u8(static_cast<uint8_t>(2 * addresses));
      w.u8(0);
      w.u8(static_cast<uint8_t>(addresses));  // segments left
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
      w.u8(1);  // segments left
      w.u32(0);
      address_bytes(w, 6, final_dst);  // home address
      break;
    case ipv6_ext_kind::atomic_fragment:
      fragment_header(w, next, 0, false, 0x5eed0001);
      break;
    case ipv6_ext_kind::authentication:
      w.u8(next);
      w.u8(4);  // (12 fixed + 12 ICV) / 4 - 2
      w.u16(0);
      w.u32(0x00001001);  // SPI
      w.u32(7);           // sequence number
      w.bytes(std::vector<uint8_t>{0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac});  // ICV
      break;
  }
}

std::string ipv6_destination_field(const ip_route& route) {
  for (const auto& ext : route.ipv6_ext_headers) {
    if (is_routing(ext)) {
      return ext.via.at(0);
    }
  }
  return route.dst;
}

// The upper-layer bytes as libtins serializes them under a plain IP header
// from src to the final destination, so the checksum uses that pair.
std::vector<uint8_t> upper_layer_bytes(const ip_route& route, const Tins::PDU& upper) {
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
  std::vector<outer_checksum_location> checksums;  // of tunnels, innermost first
};

// libtins 4.0 writes a stray byte after every IPv4 option that has data,
// overwriting what follows, so the options go in by hand: NOP, record route
// with two empty slots, router alert (16 bytes, IHL 9).
// Writes the total length of the IPv4 header at the start of `packet`,
// then its header checksum.
void write_ipv4_total_length(std::vector<uint8_t>& packet, uint16_t total) {
  const size_t header = (packet.at(0) & 0x0fu) * 4u;
  packet[2] = static_cast<uint8_t>(total >> 8);
  packet[3] = static_cast<uint8_t>(total);
  packet[10] = packet[11] = 0;
  // sum_range adds the words as stored, so its complement is stored as is.
  const auto sum = static_cast<uint16_t>(~Tins::Utils::sum_range(packet.data(), packet.data() + header));
  std::memcpy(&packet[10], &sum, sizeof sum);
}

void splice_ipv4_options(std::vector<uint8_t>& packet) {
  const std::vector<uint8_t> options = {0x01, 0x07, 0x0b, 0x04, 0, 0, 0, 0, 0, 0, 0, 0, 0x94, 0x04, 0x00, 0x00};
  constexpr size_t base_header = 20;
  packet.insert(packet.begin() + base_header, options.begin(), options.end());
  const size_t header = base_header + options.size();
  packet[0] = static_cast<uint8_t>(0x40 | header / 4);
  write_ipv4_total_length(packet, static_cast<uint16_t>(packet.size()));
}

wrapped wrap_ipv4(const std::string& src, const std::string& dst, uint16_t ip_id, uint8_t proto, bool with_options,
                  const std::optional<fragment_spec>& fragment, std::span<const uint8_t> upper) {
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
  return {bytes, (bytes.at(0) & 0x0fu) * 4u, {}};
}

wrapped wrap_ipv6(const ip_route& route, uint8_t proto, const std::optional<fragment_spec>& fragment,
                  std::span<const uint8_t> upper) {
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
  return {(ip6 / Tins::RawPDU(payload.begin(), payload.end())).serialize(), upper_offset, {}};
}

std::vector<uint8_t> pseudo_header(int version, const std::string& src, const std::string& dst, uint8_t proto,
                                   size_t length) {
  byte_writer w;
  if (version == 4) {
    address_bytes(w, 4, src);
    address_bytes(w, 4, dst);
    w.u8(0);
    w.u8(proto);
    w.u16(static_cast<uint16_t>(length));
  } else {
    address_bytes(w, 6, src);
    address_bytes(w, 6, dst);
    w.u32(static_cast<uint32_t>(length));
    w.zeros(3);
    w.u8(proto);
  }
  return w.take();
}

// The builder's Internet checksum goes through libtins (sum_range adds the
// words in host order, so the complement is stored as it is), not through
// checksum.cpp, which is the oracle's.
uint16_t stored_checksum(uint32_t partial, std::span<const uint8_t> bytes) {
  uint32_t sum = partial + Tins::Utils::sum_range(bytes.data(), bytes.data() + bytes.size());
  while (sum >> 16) {
    sum = (sum & 0xffff) + (sum >> 16);
  }
  return static_cast<uint16_t>(~sum);
}

void store_checksum(std::vector<uint8_t>& bytes, size_t at, uint16_t stored) {
  if (at + sizeof stored > bytes.size()) {
    throw std::out_of_range("checksum field beyond the packet");
  }
  std::memcpy(bytes.data() + at, &stored, sizeof stored);
}

uint32_t udp_pseudo_sum(const tunnel_spec& t, size_t length) {
  const auto len = static_cast<uint16_t>(length);
  if (t.outer_version == 4) {
    return Tins::Utils::pseudoheader_checksum(Tins::IPv4Address(t.outer_src), Tins::IPv4Address(t.outer_dst), len,
                                              protocol::udp);
  }
  return Tins::Utils::pseudoheader_checksum(Tins::IPv6Address(t.outer_src), Tins::IPv6Address(t.outer_dst), len,
                                            protocol::udp);
}

wrapped wrap_in_outer_ip(const tunnel_spec& t, uint16_t ip_id, uint8_t proto, std::span<const uint8_t> upper) {
  if (t.outer_version == 4) {
    return wrap_ipv4(t.outer_src, t.outer_dst, static_cast<uint16_t>(ip_id ^ 0x3c3c), proto, false, std::nullopt,
                     upper);
  }
  ip_route outer_route;
  outer_route.version = 6;
  outer_route.src = t.outer_src;
  outer_route.dst = t.outer_dst;
  return wrap_ipv6(outer_route, proto, std::nullopt, upper);
}

void inner_ethernet(byte_writer& w, const tunnel_spec& t, uint16_t inner_ethertype) {
  w.bytes(t.inner_dst_mac);
  w.bytes(t.inner_src_mac);
  w.u16(inner_ethertype);
}

// GRE header (RFC 2784, 2890; RFC 1701 routing; RFC 2637 version 1) and
// what goes between it and the inner IP packet.
wrapped encapsulate_gre(const tunnel_spec& t, uint16_t ip_id, uint16_t inner_ethertype,
                        std::span<const uint8_t> inner) {
  using namespace tunnel_constant;
  const uint16_t proto = t.gre_protocol != 0 ? t.gre_protocol : inner_ethertype;
  byte_writer prefix;
  if (proto == transparent_ethernet) {
    inner_ethernet(prefix, t, inner_ethertype);
  } else if (proto == ethertype::mpls) {
    prefix.u32(t.mpls_label << 12 | 0x100u | 64u);  // bottom of stack, TTL 64
  } else if (proto == ppp) {
    prefix.u8(0xff);  // address
    prefix.u8(0x03);  // control
    prefix.u16(inner_ethertype == ethertype::ipv4 ? ppp_ipv4 : ppp_ipv6);
  } else if (proto != inner_ethertype) {
    throw std::invalid_argument("GRE protocol does not match the inner packet");
  }
  if ((proto == ppp) != (t.gre_version == 1)) {
    throw std::invalid_argument("GRE version 1 carries PPP, version 0 does not");
  }

  byte_writer w;
  size_t checksum_at = 0;
  if (t.gre_version == 1) {
    // Enhanced GRE: K always, key = payload length and call ID.
    w.u16(static_cast<uint16_t>(gre_k | (t.gre_sequence ? gre_s : 0) | 1));
    w.u16(proto);
    w.u16(static_cast<uint16_t>(prefix.size() + inner.size()));
    w.u16(static_cast<uint16_t>(t.gre_key.value_or(0x4d2)));
    if (t.gre_sequence) {
      w.u32(ip_id);
    }
  } else {
    const bool checksum_words = t.gre_checksum || t.gre_routing;
    w.u16(static_cast<uint16_t>((t.gre_checksum ? gre_c : 0) | (t.gre_routing ? gre_r : 0) | (t.gre_key ? gre_k : 0) |
                                (t.gre_sequence ? gre_s : 0)));
    w.u16(proto);
    if (checksum_words) {
      checksum_at = w.size();
      w.u16(0);  // checksum, filled below when C is set
      w.u16(0);  // reserved1, or the routing offset (0: the first SRE)
    }
    if (t.gre_key) {
      w.u32(*t.gre_key);
    }
    if (t.gre_sequence) {
      w.u32(ip_id);
    }
    if (t.gre_routing) {
      w.u16(ethertype::ipv4);  // SRE address family: IPv4
      w.u8(0);                 // SRE offset
      w.u8(8);                 // SRE length: two addresses
      address_bytes(w, 4, "203.0.113.77");
      address_bytes(w, 4, "203.0.113.78");
      w.u32(0);  // the NULL SRE ends the list
    }
  }
  const size_t header = w.size();
  w.bytes(prefix.data());
  w.bytes(inner);
  auto gre = w.take();

  outer_checksum_location where;
  if (t.gre_checksum) {
    store_checksum(gre, checksum_at, stored_checksum(0, gre));
    if (t.damage_outer_checksum) {
      gre.at(checksum_at + 1) ^= 0x01;
    }
    where.what = outer_checksum_location::kind::gre;
    where.covered_length = gre.size();
    where.field_offset = checksum_at;
    where.corrupted = t.damage_outer_checksum;
  } else if (t.damage_outer_checksum) {
    throw std::invalid_argument("no GRE checksum to damage");
  }

  wrapped out = wrap_in_outer_ip(t, ip_id, protocol::gre, gre);
  const size_t gre_offset = out.upper_offset;
  out.upper_offset = gre_offset + header + prefix.size();  // the inner packet
  if (t.gre_checksum) {
    where.shift(gre_offset);
    out.checksums.push_back(std::move(where));
  }
  return out;
}

// UDP, then the VXLAN (RFC 7348) or Geneve (RFC 8926) header, then an
// inner Ethernet header.
wrapped encapsulate_udp(const tunnel_spec& t, uint16_t ip_id, uint16_t inner_ethertype,
                        std::span<const uint8_t> inner) {
  using namespace tunnel_constant;
  byte_writer w;
  w.u16(t.udp_src_port);
  w.u16(t.kind == tunnel_kind::vxlan ? vxlan_port : geneve_port);
  w.u16(0);  // length, below
  w.u16(0);  // checksum, below
  if (t.kind == tunnel_kind::vxlan) {
    w.u8(0x08);  // I: the VNI is valid
    w.zeros(3);
    w.u32(t.vni << 8);
  } else {
    // Two options of an experimental class (0xff00..0xffff): 4 and
    // 8 bytes of data, 20 bytes with their headers.
    const size_t option_words = t.geneve_options ? 5 : 0;
    w.u8(static_cast<uint8_t>(option_words));  // version 0, option length
    w.u8(0);                                   // O and C clear
    w.u16(transparent_ethernet);
    w.u32(t.vni << 8);
    if (t.geneve_options) {
      w.u16(0xff01);
      w.u8(0x01);  // type
      w.u8(1);     // length in 4-byte words
      w.u32(0x0a0b0c0d);
      w.u16(0xff02);
      w.u8(0x02);
      w.u8(2);
      w.u32(0x11223344);
      w.u32(0x55667788);
    }
  }
  inner_ethernet(w, t, inner_ethertype);
  const size_t header = w.size();
  w.bytes(inner);
  auto udp = w.take();
  udp.at(4) = static_cast<uint8_t>(udp.size() >> 8);
  udp.at(5) = static_cast<uint8_t>(udp.size());

  const bool has_checksum = t.udp_checksum || t.outer_version == 6;
  if (has_checksum) {
    uint16_t sum = stored_checksum(udp_pseudo_sum(t, udp.size()), udp);
    if (sum == 0) {
      sum = 0xffff;  // RFC 768: a computed 0 is sent as all ones
    }
    store_checksum(udp, udp_checksum_at, sum);
    if (t.damage_outer_checksum) {
      udp.at(udp_checksum_at + 1) ^= 0x01;
    }
  } else if (t.damage_outer_checksum) {
    throw std::invalid_argument("no UDP checksum to damage");
  }

  wrapped out = wrap_in_outer_ip(t, ip_id, protocol::udp, udp);
  outer_checksum_location where;
  where.what = outer_checksum_location::kind::udp;
  where.covered_length = udp.size();
  where.field_offset = udp_checksum_at;
  where.pseudo_header = pseudo_header(t.outer_version, t.outer_src, t.outer_dst, protocol::udp, udp.size());
  where.zero_means_absent = t.outer_version == 4;
  where.corrupted = t.damage_outer_checksum;
  where.shift(out.upper_offset);
  out.upper_offset += header;
  out.checksums.push_back(std::move(where));
  return out;
}

wrapped encapsulate(const tunnel_spec& t, uint16_t ip_id, uint16_t inner_ethertype, const wrapped& inner) {
  wrapped out = t.kind == tunnel_kind::gre ? encapsulate_gre(t, ip_id, inner_ethertype, inner.bytes)
                                           : encapsulate_udp(t, ip_id, inner_ethertype, inner.bytes);
  const size_t inner_start = out.upper_offset;  // encapsulate_* return where `inner` begins
  out.upper_offset = inner_start + inner.upper_offset;
  std::vector<outer_checksum_location> checksums = inner.checksums;
  for (auto& c : checksums) {
    c.shift(inner_start);
  }
  checksums.insert(checksums.end(), out.checksums.begin(), out.checksums.end());
  out.checksums = std::move(checksums);
  return out;
}

// The IP header(s) of the route without its GRE/VXLAN/Geneve tunnel.
wrapped wrap_in_ip_only(const ip_route& route, uint16_t ip_id, uint8_t proto,
                        const std::optional<fragment_spec>& fragment, std::span<const uint8_t> upper) {
  wrapped inner = route.version == 4
                      ? wrap_ipv4(route.src, route.dst, ip_id, proto, route.ipv4_options, fragment, upper)
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
  wrapped outer = t.version == 4 ? wrap_ipv4(t.src, t.dst, static_cast<uint16_t>(ip_id ^ 0x5a5a), inner_proto, false,
                                             std::nullopt, inner.bytes)
                                 : wrap_ipv6(outer_route, inner_proto, std::nullopt, inner.bytes);
  outer.upper_offset += inner.upper_offset;
  return outer;
}

wrapped wrap_in_ip(const ip_route& route, uint16_t ip_id, uint8_t proto, const std::optional<fragment_spec>& fragment,
                   std::span<const uint8_t> upper) {
  wrapped ip = wrap_in_ip_only(route, ip_id, proto, fragment, upper);
  if (!route.tunnel) {
    return ip;
  }
  const int version = route.outer ? route.outer->version : route.version;
  return encapsulate(*route.tunnel, ip_id, version == 4 ? ethertype::ipv4 : ethertype::ipv6, ip);
}

uint16_t outer_ethertype(const ip_route& route) {
  const int version = route.tunnel ? route.tunnel->outer_version : route.outer ? route.outer->version : route.version;
  return version == 4 ? ethertype::ipv4 : ethertype::ipv6;
}

std::vector<uint8_t> pseudo_header(const ip_route& route, size_t tcp_length) {
  return pseudo_header(route.version, route.src, route.dst, protocol::tcp, tcp_length);
}

Tins::TCP make_tcp(const tcp_fields& f) {
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
                                       std::span<const uint8_t> payload) {
  const Tins::TCP tcp = make_tcp(fields);
  if (payload.empty()) {
    return upper_layer_bytes(route, tcp);
  }
  return upper_layer_bytes(route, tcp / Tins::RawPDU(payload.begin(), payload.end()));
}

constexpr size_t icmp_header = 8;  // type, code, checksum, rest-of-header
constexpr size_t icmp_checksum_field = 2;

// The checksum of a datagram or message at `offset` of `length` bytes,
// its field `field` bytes in.
outer_checksum_location own_checksum(outer_checksum_location::kind what, size_t offset, size_t length, size_t field,
                                     std::vector<uint8_t> pseudo) {
  outer_checksum_location c;
  c.what = what;
  c.covered_offset = offset;
  c.covered_length = length;
  c.field_offset = offset + field;
  c.pseudo_header = std::move(pseudo);
  return c;
}

// A packet that is not a followed TCP segment; masking policy v2 zeroes
// `upper` from `kept` bytes in and fixes its checksum at `field`.
ip_packet masked_upper(const ip_route& route, uint16_t ip_id, uint8_t proto, std::span<const uint8_t> upper,
                       size_t kept, size_t field) {
  wrapped w = wrap_in_ip(route, ip_id, proto, std::nullopt, upper);
  using kind = outer_checksum_location::kind;
  auto checksum =
      own_checksum(proto == protocol::udp ? kind::udp : kind::icmp, w.upper_offset, upper.size(), field,
                   proto == protocol::icmp ? std::vector<uint8_t>{}
                                           : pseudo_header(route.version, route.src, route.dst, proto, upper.size()));
  checksum.zero_means_absent = proto == protocol::udp && route.version == 4;
  const std::pair<size_t, size_t> zeroed{w.upper_offset + kept, w.upper_offset + upper.size()};
  return {std::move(w.bytes), outer_ethertype(route), std::nullopt, {std::move(checksum)}, {zeroed}};
}

}  // namespace

ip_route reversed(const ip_route& route) {
  ip_route back = route;
  std::swap(back.src, back.dst);
  if (back.outer) {
    std::swap(back.outer->src, back.outer->dst);
  }
  if (back.tunnel) {
    std::swap(back.tunnel->outer_src, back.tunnel->outer_dst);
    std::swap(back.tunnel->inner_src_mac, back.tunnel->inner_dst_mac);
  }
  std::erase_if(back.ipv6_ext_headers, is_routing);
  return back;
}

ip_packet tcp_packet(const ip_route& route, uint16_t ip_id, const tcp_fields& fields,
                     std::span<const uint8_t> payload) {
  auto segment = tcp_segment_bytes(route, fields, payload);
  constexpr size_t checksum_at = 16;
  switch (fields.damage) {
    case checksum_damage::none:
      break;
    case checksum_damage::zeroed:
      segment.at(checksum_at) = 0;
      segment.at(checksum_at + 1) = 0;
      break;
    case checksum_damage::off_by_one:
      segment.at(checksum_at + 1) ^= 0x01;
      break;
  }
  wrapped w = wrap_in_ip(route, ip_id, protocol::tcp, std::nullopt, segment);
  if (route.tunnel && !route.tunnel->followed()) {
    // Undecoded from the tunnel header on; the packets of such a route
    // have no IPv4 options or extension headers outside the tunnel.
    const size_t tunnel_header = route.tunnel->outer_version == 4 ? (w.bytes.at(0) & 0x0fu) * 4u : 40;
    const std::pair<size_t, size_t> zeroed{tunnel_header, w.bytes.size()};
    return {std::move(w.bytes), outer_ethertype(route), std::nullopt, {}, {zeroed}};
  }

  tcp_location where;
  where.tcp_offset = w.upper_offset;
  where.tcp_length = segment.size();
  where.payload_length = payload.size();
  where.payload_offset = w.upper_offset + segment.size() - payload.size();
  where.pseudo_header = pseudo_header(route, segment.size());
  return {std::move(w.bytes), outer_ethertype(route), std::move(where), std::move(w.checksums), {}};
}

std::vector<ip_packet> fragmented_tcp_packet(const ip_route& route, uint16_t ip_id, const tcp_fields& fields,
                                             std::span<const uint8_t> payload, size_t first_size) {
  if (first_size % 8 != 0) {
    throw std::invalid_argument("fragment size must be a multiple of 8");
  }
  const auto segment = tcp_segment_bytes(route, fields, payload);
  const std::span<const uint8_t> all(segment);
  const fragment_spec first{0, true, 0x0f0f0000u + ip_id};
  const fragment_spec second{first_size, false, first.id};
  // The first fragment keeps the TCP header; every other byte of the
  // segment is zero.
  wrapped head = wrap_in_ip(route, ip_id, protocol::tcp, first, all.first(first_size));
  wrapped tail = wrap_in_ip(route, ip_id, protocol::tcp, second, all.subspan(first_size));
  const size_t tcp_header = segment.size() - payload.size();
  const std::pair<size_t, size_t> head_zeroed{head.upper_offset + tcp_header, head.bytes.size()};
  const std::pair<size_t, size_t> tail_zeroed{tail.upper_offset, tail.bytes.size()};
  return {
      {std::move(head.bytes), outer_ethertype(route), std::nullopt, {}, {head_zeroed}},
      {std::move(tail.bytes), outer_ethertype(route), std::nullopt, {}, {tail_zeroed}},
  };
}

ip_packet udp_packet(const ip_route& route, uint16_t ip_id, uint16_t src_port, uint16_t dst_port,
                     std::span<const uint8_t> payload) {
  const auto datagram =
      upper_layer_bytes(route, Tins::UDP(dst_port, src_port) / Tins::RawPDU(payload.begin(), payload.end()));
  constexpr size_t udp_header = 8;
  constexpr size_t checksum_field = 6;
  return masked_upper(route, ip_id, protocol::udp, datagram, udp_header, checksum_field);
}

ip_packet icmp_echo_request(const ip_route& route, uint16_t ip_id, uint16_t sequence,
                            std::span<const uint8_t> payload) {
  if (route.version != 4) {
    throw std::invalid_argument("icmp_echo_request builds ICMPv4 only");
  }
  Tins::ICMP icmp(Tins::ICMP::ECHO_REQUEST);
  icmp.id(0x4242);
  icmp.sequence(sequence);
  const auto message = upper_layer_bytes(route, icmp / Tins::RawPDU(payload.begin(), payload.end()));
  return masked_upper(route, ip_id, protocol::icmp, message, icmp_header, icmp_checksum_field);
}

ip_packet icmp_unreachable(const ip_route& route, uint16_t ip_id, std::span<const uint8_t> quoted) {
  const Tins::RawPDU quote(quoted.begin(), quoted.end());
  // The quoted IP header (the quotes here have no IPv6 extension headers)
  // and 8 bytes of its transport header stay.
  const size_t quoted_ip_header = (quoted[0] >> 4) == 4 ? (quoted[0] & 0x0fu) * 4u : 40;
  const size_t kept = icmp_header + quoted_ip_header + 8;
  if (route.version == 4) {
    Tins::ICMP icmp(Tins::ICMP::DEST_UNREACHABLE);
    icmp.code(1);  // host unreachable
    return masked_upper(route, ip_id, protocol::icmp, upper_layer_bytes(route, icmp / quote), kept,
                        icmp_checksum_field);
  }
  Tins::ICMPv6 icmp(Tins::ICMPv6::DEST_UNREACHABLE);
  icmp.code(3);  // address unreachable
  return masked_upper(route, ip_id, protocol::icmpv6, upper_layer_bytes(route, icmp / quote), kept,
                      icmp_checksum_field);
}

void declare_ipv4_total_length(ip_packet& ip, uint16_t total_length) {
  if (ip.ethertype != ethertype::ipv4 || !ip.tcp || ip.tcp->tcp_offset != (ip.bytes.at(0) & 0x0fu) * 4u) {
    throw std::invalid_argument("declare_ipv4_total_length needs a plain IPv4 TCP packet");
  }
  tcp_location& where = *ip.tcp;
  if (total_length != 0) {
    if (total_length < ip.bytes.size()) {
      throw std::invalid_argument("a declared total length cuts the packet short");
    }
    const size_t header = where.payload_offset - where.tcp_offset;
    where.tcp_length = total_length - where.tcp_offset;
    where.payload_length = where.tcp_length - header;
    where.pseudo_header[10] = static_cast<uint8_t>(where.tcp_length >> 8);
    where.pseudo_header[11] = static_cast<uint8_t>(where.tcp_length);
  }
  write_ipv4_total_length(ip.bytes, total_length);
}

}  // namespace gen_corpus

// Cases about the network layer: options, extension headers, IP-in-IP,
// fragments, and packets that are not TCP at all.

#include <tins/arp.h>

#include "connection_script.h"
#include "corpus_case.h"
#include "tls_conversation.h"
#include "tls_messages.h"

namespace gen_corpus {

namespace {

using namespace script_words;

corpus_case ipv6_basic() {
  auto c = new_case("ipv6_basic", "Plain IPv6 over Ethernet: full TLS 1.2 session");
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv6_route(1), 1));
  tls12_session(conn, r, 2);
  return c;
}

corpus_case ipv4_options() {
  auto c = new_case("ipv4_options", "IPv4 headers with options (NOP, record route, router alert; IHL 9) both ways");
  rng r = rng::for_name(c.name);
  auto route = ipv4_route(1);
  route.ipv4_options = true;
  tcp_connection conn(c.cap, connection_on(ethernet_link(), route, 1));
  tls12_session(conn, r, 2);
  return c;
}

corpus_case ipv6_ext_headers() {
  auto c = new_case("ipv6_ext_headers",
                    "IPv6 extension headers: hop-by-hop, destination options, routing type 0 "
                    "and 2 (checksum uses the final destination), AH, atomic fragment, all at once");
  rng r = rng::for_name(c.name);
  using k = ipv6_ext_kind;
  const ipv6_ext hop{k::hop_by_hop, {}};
  const ipv6_ext dest{k::destination_options, {}};
  const ipv6_ext rh0{k::routing_type0, {"2001:db8:ff::1", "2001:db8:ff::2"}};
  const ipv6_ext rh2{k::routing_type2, {"2001:db8:c0a::1"}};
  const ipv6_ext ah{k::authentication, {}};
  const ipv6_ext atomic{k::atomic_fragment, {}};
  const std::vector<std::vector<ipv6_ext>> chains = {
      {hop, dest}, {rh0}, {rh2}, {ah}, {atomic}, {hop, dest, rh0, atomic, ah, dest},
  };
  int host = 1;
  for (const auto& chain : chains) {
    auto route = ipv6_route(host);
    route.ipv6_ext_headers = chain;
    tcp_connection conn(c.cap, connection_on(ethernet_link(), route, host++));
    tls12_session(conn, r, 1);
  }
  return c;
}

corpus_case ip_in_ip() {
  auto c = new_case("ip_in_ip",
                    "IP-in-IP tunnels: IPv4 in IPv4, IPv6 in IPv4, IPv4 in IPv6, "
                    "IPv6 in IPv6 (protocols 4 and 41)");
  rng r = rng::for_name(c.name);
  const ip_tunnel over4{4, "203.0.113.1", "203.0.113.2"};
  const ip_tunnel over6{6, "2001:db8:ffff::1", "2001:db8:ffff::2"};
  int host = 1;
  for (const int inner : {4, 6}) {
    for (const auto& outer : {over4, over6}) {
      auto route = inner == 4 ? ipv4_route(host) : ipv6_route(host);
      route.outer = outer;
      tcp_connection conn(c.cap, connection_on(ethernet_link(), route, host++));
      tls12_session(conn, r, 1);
    }
  }
  return c;
}

// Each side's next flight, an ApplicationData body crossed by a segment
// sent as two fragments, then a handshake record.
std::vector<step> fragmented_flights() {
  std::vector<step> steps = {tcp_handshake(), tls12_handshake()};
  for (const side s : {client, server}) {
    steps.insert(steps.end(), {
                                  plant(s, {record(application_data, 1200), record(handshake, 50)}),
                                  segment(s, 0, 400),
                                  fragmented_segment(s, 400, 400, 208),
                                  segment(s, 800, to_end),
                                  ack(peer(s)),
                              });
  }
  steps.push_back(tls_close());
  return steps;
}

corpus_case fragments() {
  return scripted_case("fragments",
                       "TCP segments inside ApplicationData bodies sent as IPv4 and IPv6 fragments: "
                       "fragment payloads are zero past the first fragment's TCP header, the walk goes on past the gap",
                       {
                           {connection_on(ethernet_link(), ipv4_route(1), 1), fragmented_flights()},
                           {connection_on(ethernet_link(), ipv6_route(2), 2), fragmented_flights()},
                       });
}

// The TLS 1.2 handshake, then `records` (type, body size) from the server
// in offloaded segments: of `sizes` bytes, then one with the rest. Then the close.
void offloaded_flight(tcp_connection& conn, rng& r, const std::vector<std::pair<uint8_t, size_t>>& records,
                      const std::vector<size_t>& sizes, checksum_damage damage) {
  conn.handshake();
  tls12_handshake(conn, r);
  auto& server = conn.stream(side::server);
  uint64_t at = server.size();
  for (const auto& [type, size] : records) {
    server.add_record(type, tls12, opaque(r, size));
  }
  for (const size_t size : sizes) {
    conn.segment(side::server, at, size, segment_options::offloaded(damage));
    at += size;
  }
  conn.segment(side::server, at, server.size() - at, segment_options::offloaded(damage));
  conn.ack(side::client);
  tls_close(conn, r);
}

corpus_case tso_segments() {
  auto c = new_case("tso_segments",
                    "IPv4 total length 0 (captured on a sender with segmentation offload): one 30 KB segment "
                    "with a valid checksum; three segments of up to 70 KB (frames beyond 64 KiB, offload "
                    "checksums) with a handshake record spanning two of them");
  rng r = rng::for_name(c.name);
  using namespace content_type;
  {
    tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv4_route(1), 1));
    offloaded_flight(conn, r, {{handshake, 180}, {application_data, 14000}, {application_data, 15800}}, {},
                     checksum_damage::none);
  }
  {
    tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv4_route(2), 2));
    std::vector<std::pair<uint8_t, size_t>> records(4, {application_data, 16384});
    records.emplace_back(handshake, 18000);  // [65556, 83561): across the first boundary
    records.insert(records.end(), 5, {application_data, 16384});
    offloaded_flight(conn, r, records, {70000, 40000}, checksum_damage::zeroed);
  }
  return c;
}

corpus_case ipv4_length_beyond_frame() {
  auto c = new_case("ipv4_length_beyond_frame",
                    "An IPv4 total length 1000 bytes beyond the frame, which holds the whole "
                    "segment as sent: the payload is what the frame holds, the walk goes on");
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, connection_on(ethernet_link(), ipv4_route(1), 1));
  conn.handshake();
  tls12_handshake(conn, r);
  auto& server = conn.stream(side::server);
  const uint64_t base = server.size();
  server.add_record(content_type::application_data, tls12, opaque(r, 700));
  server.add_record(content_type::handshake, tls12, opaque(r, 90));
  server.add_record(content_type::application_data, tls12, opaque(r, 400));
  const size_t first = 705 + 95;
  // IPv4 header 20 + TCP header with timestamps 32 + payload, then 1000 more.
  conn.segment(side::server, base, first, segment_options::ipv4_length(20 + 32 + first + 1000));
  conn.segment(side::server, base + first, server.size() - base - first);
  conn.ack(side::client);
  tls_close(conn, r);
  return c;
}

corpus_case non_tcp() {
  auto c = new_case("non_tcp",
                    "ARP, DNS and QUIC-like UDP (payloads zero), ICMP echo (data zero), ICMP and "
                    "ICMPv6 errors quoting TLS segments (zero past the quoted headers); beside TLS connections");
  rng r = rng::for_name(c.name);
  const link_spec eth = ethernet_link();
  const auto v4 = ipv4_route(1);
  const auto v6 = ipv6_route(2);

  Tins::ARP request("192.0.2.1", "192.0.2.11", "00:00:00:00:00:00", "02:00:5e:10:00:01");
  request.opcode(Tins::ARP::REQUEST);
  c.cap.add_frame(0, eth, ethertype::arp, request.serialize());
  Tins::ARP reply("192.0.2.11", "192.0.2.1", "02:00:5e:10:00:01", "02:00:5e:10:00:02");
  reply.opcode(Tins::ARP::REPLY);
  c.cap.add_frame(0, eth, ethertype::arp, reply.serialize());

  const std::vector<uint8_t> dns_query = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00,
                                          0x00, 0x03, 'w',  'w',  'w',  0x07, 'e',  'x',  'a',  'm',  'p',
                                          'l',  'e',  0x03, 'c',  'o',  'm',  0x00, 0x00, 0x01, 0x00, 0x01};
  c.cap.add_ip_packet(0, eth, udp_packet(v4, 0x0101, 53111, 53, dns_query));
  // UDP to 443 whose payload starts like a TLS handshake record.
  auto quic = opaque(r, 300);
  quic[0] = 0x16;
  quic[1] = 0x03;
  quic[2] = 0x01;
  c.cap.add_ip_packet(0, eth, udp_packet(v4, 0x0102, 53112, 443, quic));
  c.cap.add_ip_packet(0, eth, udp_packet(v6, 0, 53113, 443, opaque(r, 200)));
  c.cap.add_ip_packet(0, eth, icmp_echo_request(v4, 0x0103, 1, opaque(r, 56)));

  int host = 1;
  for (const auto& route : {v4, v6}) {
    tcp_connection conn(c.cap, connection_on(eth, route, host++));
    conn.handshake();
    tls12_handshake(conn, r);
    conn.stream(side::client).add_record(content_type::application_data, tls12, opaque(r, 300));
    conn.send_rest(side::client);
    // A router on the path sends the client an error quoting that
    // segment: headers and the first 64 payload bytes, a TLS header
    // among them.
    const auto& frame = c.cap.packets().back().frame;
    const size_t ip_start = 14;
    const size_t headers = route.version == 4 ? 20 + 32 : 40 + 32;
    const std::span<const uint8_t> quoted(frame.data() + ip_start, headers + 64);
    ip_route router = reversed(route);
    router.src = route.version == 4 ? "198.51.100.1" : "2001:db8:2::1";
    const ip_packet error = icmp_unreachable(router, 0x0201, quoted);
    c.cap.add_ip_packet(0, eth, error);  // after this, `frame` may dangle
    conn.ack(side::server);
    tls_close(conn, r);
  }
  return c;
}

}  // namespace

std::vector<corpus_case> ip_layer_cases() {
  std::vector<corpus_case> cases;
  cases.push_back(ipv6_basic());
  cases.push_back(ipv4_options());
  cases.push_back(ipv6_ext_headers());
  cases.push_back(ip_in_ip());
  cases.push_back(fragments());
  cases.push_back(tso_segments());
  cases.push_back(ipv4_length_beyond_frame());
  cases.push_back(non_tcp());
  return cases;
}

}  // namespace gen_corpus

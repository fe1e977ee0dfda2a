// Cases about tunnels the policy follows (GRE version 0 without routing,
// VXLAN, Geneve) and one it does not (GRE with routing or version 1). Inside
// every tunnel runs a TLS 1.2 session like basic_tls12's; the inner TCP is
// masked by the usual rules, and the outer UDP checksum (when present) and
// the GRE checksum (C bit) are recomputed where they verified in the input.

#include <functional>
#include <optional>

#include "corpus_case.h"
#include "tls_conversation.h"
#include "tls_messages.h"

namespace gen_corpus {

namespace {

// Tunnel endpoints per connection (`host`): TEST-NET-3 and 2001:db8:ffff::/48.
void endpoints(tunnel_spec& t, int outer_version, int host) {
  t.outer_version = outer_version;
  if (outer_version == 4) {
    t.outer_src = "203.0.113." + std::to_string(100 + host);
    t.outer_dst = "203.0.113." + std::to_string(200 + host);
  } else {
    t.outer_src = "2001:db8:ffff:1::" + std::to_string(host);
    t.outer_dst = "2001:db8:ffff:2::" + std::to_string(host);
  }
}

tunnel_spec gre(int outer_version, int host, uint16_t protocol = 0) {
  tunnel_spec t;
  t.kind = tunnel_kind::gre;
  endpoints(t, outer_version, host);
  t.gre_protocol = protocol;
  return t;
}

tunnel_spec udp_tunnel(tunnel_kind kind, int outer_version, int host) {
  tunnel_spec t;
  t.kind = kind;
  endpoints(t, outer_version, host);
  t.udp_src_port = static_cast<uint16_t>(49320 + 17 * host);  // the VTEP's flow hash
  t.vni = static_cast<uint32_t>(5000 + host);
  return t;
}

// One connection of the case: inner IP version, the client's tunnel, and
// optionally a different tunnel for the server's packets (by default the
// client's with endpoints and MAC addresses swapped).
struct tunneled_flow {
  tunneled_flow(int inner, tunnel_spec client_side, std::optional<tunnel_spec> server_side = std::nullopt)
      : inner_version(inner), client(std::move(client_side)), server(std::move(server_side)) {}

  int inner_version;
  tunnel_spec client;
  std::optional<tunnel_spec> server;
};

using conversation = std::function<void(tcp_connection&, rng&)>;

void two_rounds(tcp_connection& conn, rng& r) { tls12_session(conn, r, 2); }

corpus_case tunnel_case(std::string name, std::string description, const std::vector<tunneled_flow>& flows,
                        const conversation& talk = two_rounds) {
  auto c = new_case(std::move(name), std::move(description));
  rng r = rng::for_name(c.name);
  int host = 1;
  for (const auto& f : flows) {
    auto route = f.inner_version == 4 ? ipv4_route(host) : ipv6_route(host);
    route.tunnel = f.client;
    auto config = connection_on(ethernet_link(), route, host);
    config.mss = 1360;  // leaves room for the tunnel headers in a 1500-byte MTU
    if (f.server) {
      ip_route other = route;
      other.tunnel = *f.server;
      config.server_route = reversed(other);
    }
    tcp_connection conn(c.cap, config);
    talk(conn, r);
    ++host;
  }
  return c;
}

// TLS 1.2 session whose application data goes out with wrong inner TCP
// checksums (zero as with offload, off by one), as in bad_checksum.
void bad_inner_checksums(tcp_connection& conn, rng& r) {
  conn.handshake();
  tls12_handshake(conn, r);
  auto& client = conn.stream(side::client);
  auto& server = conn.stream(side::server);
  const uint64_t request = client.size();
  client.add_record(content_type::application_data, tls12, opaque(r, 300));
  conn.segment(side::client, request, client.size() - request, segment_options::damaged(checksum_damage::zeroed));
  conn.ack(side::server);
  const uint64_t reply = server.size();
  server.add_record(content_type::application_data, tls12, opaque(r, 900));
  conn.segment(side::server, reply, 500, segment_options::damaged(checksum_damage::off_by_one));
  conn.segment(side::server, reply + 500, server.size() - reply - 500);
  conn.ack(side::client);
  tls_close(conn, r);
}

tunnel_spec with_damage(tunnel_spec t) {
  t.damage_outer_checksum = true;
  return t;
}

}  // namespace

std::vector<corpus_case> tunnel_cases() {
  std::vector<corpus_case> cases;

  cases.push_back(tunnel_case("gre_ipv4",
                              "GRE version 0 over IPv4, protocol 0x0800, no optional words: "
                              "inner IPv4 TLS session masked",
                              {{4, gre(4, 1)}}));
  cases.push_back(tunnel_case("gre_ipv6_inner",
                              "GRE over IPv4 carrying IPv6 (protocol 0x86DD): inner IPv6 TLS "
                              "session masked",
                              {{6, gre(4, 1)}}));
  {
    auto key_seq_sum = [](int outer, int host) {
      tunnel_spec t = gre(outer, host);
      t.gre_checksum = true;
      t.gre_key = 0x0001e240u + static_cast<uint32_t>(host);
      t.gre_sequence = true;
      return t;
    };
    cases.push_back(tunnel_case("gre_key_seq_checksum",
                                "GRE with C, K and S bits (checksum, key, sequence words), checksum valid: recomputed "
                                "in the expected output; IPv4 in IPv4, then IPv6 in IPv6",
                                {{4, key_seq_sum(4, 1)}, {6, key_seq_sum(6, 2)}}));
  }
  cases.push_back(tunnel_case("gre_over_ipv6", "GRE over IPv6 (outer next header 47) carrying IPv4 and IPv6",
                              {{4, gre(6, 1)}, {6, gre(6, 2)}}));
  cases.push_back(tunnel_case("gre_transparent_ethernet",
                              "GRE protocol 0x6558: inner Ethernet frames carrying IPv4 and IPv6 "
                              "(the IPv6 tunnel with a GRE checksum)",
                              {{4, gre(4, 1, 0x6558)}, {6, [] {
                                                          tunnel_spec t = gre(4, 2, 0x6558);
                                                          t.gre_checksum = true;
                                                          return t;
                                                        }()}}));
  cases.push_back(tunnel_case("gre_mpls", "GRE protocol 0x8847: one MPLS label (bottom of stack), then IPv4",
                              {{4, gre(4, 1, ethertype::mpls)}}));

  cases.push_back(tunnel_case("vxlan_ipv4",
                              "VXLAN (UDP 4789) over IPv4 with valid non-zero UDP checksums, inner Ethernet with IPv4 "
                              "and IPv6: UDP checksums recomputed",
                              {{4, udp_tunnel(tunnel_kind::vxlan, 4, 1)}, {6, udp_tunnel(tunnel_kind::vxlan, 4, 2)}}));
  {
    tunnel_spec zero = udp_tunnel(tunnel_kind::vxlan, 4, 1);
    zero.udp_checksum = false;
    tunnel_spec zero_one_way = udp_tunnel(tunnel_kind::vxlan, 4, 2);
    zero_one_way.udp_checksum = false;
    cases.push_back(tunnel_case("vxlan_zero_udp_checksum",
                                "VXLAN over IPv4 with UDP checksum 0 (absent), which stays 0; second connection: "
                                "0 from the client's VTEP, valid checksums from the server's",
                                {{4, zero}, {4, zero_one_way, udp_tunnel(tunnel_kind::vxlan, 4, 2)}}));
  }
  cases.push_back(tunnel_case("vxlan_ipv6",
                              "VXLAN over IPv6: the UDP checksum is mandatory and recomputed; "
                              "inner IPv4 and IPv6",
                              {{4, udp_tunnel(tunnel_kind::vxlan, 6, 1)}, {6, udp_tunnel(tunnel_kind::vxlan, 6, 2)}}));

  cases.push_back(
      tunnel_case("geneve_ipv4",
                  "Geneve (UDP 6081) over IPv4 with two options (opt length 5), protocol 0x6558, inner "
                  "Ethernet with IPv4 and IPv6; UDP checksums recomputed",
                  {{4, udp_tunnel(tunnel_kind::geneve, 4, 1)}, {6, udp_tunnel(tunnel_kind::geneve, 4, 2)}}));
  cases.push_back(tunnel_case("geneve_ipv6_outer",
                              "Geneve with options over IPv6, inner IPv4; UDP checksums "
                              "recomputed",
                              {{4, udp_tunnel(tunnel_kind::geneve, 6, 1)}}));

  {
    tunnel_spec routing = gre(4, 1);
    routing.gre_routing = true;
    tunnel_spec pptp = gre(4, 2, 0x880b);
    pptp.gre_version = 1;
    pptp.gre_key = 0x4d2;  // call ID
    pptp.gre_sequence = true;
    cases.push_back(tunnel_case("gre_routing_present",
                                "GRE the policy does not follow: R bit with an SRE list (RFC 1701), and version 1 "
                                "(PPTP, PPP inside): those packets are zero from the GRE header; a third, plain GRE "
                                "connection is masked",
                                {{4, routing}, {4, pptp}, {4, gre(4, 3)}}));
  }

  {
    tunnel_spec vxlan4 = udp_tunnel(tunnel_kind::vxlan, 4, 1);
    tunnel_spec vxlan6 = udp_tunnel(tunnel_kind::vxlan, 6, 2);
    tunnel_spec gre_sum = gre(4, 3);
    gre_sum.gre_checksum = true;
    cases.push_back(tunnel_case(
        "tunnel_bad_outer_checksum",
        "Outer checksums wrong in the input stay as they were while the inner TCP is masked: "
        "VXLAN/IPv4 and GRE (C bit) with bad client-side checksums, VXLAN/IPv6 with bad "
        "server-side ones; the other direction's are recomputed",
        {{4, with_damage(vxlan4), vxlan4}, {4, vxlan6, with_damage(vxlan6)}, {4, with_damage(gre_sum), gre_sum}}));
  }
  {
    tunnel_spec gre_sum = gre(4, 3);
    gre_sum.gre_checksum = true;
    tunnel_spec zero = udp_tunnel(tunnel_kind::vxlan, 4, 5);
    zero.udp_checksum = false;
    cases.push_back(tunnel_case("tunnel_bad_inner_checksum",
                                "Inner TCP checksums wrong (zero, off by one) under valid outer checksums: the inner "
                                "checksum is left, so the outer UDP/GRE checksum must change; VXLAN/IPv4, VXLAN/IPv6, "
                                "GRE (C bit), Geneve/IPv4, and VXLAN with UDP checksum 0 (stays 0)",
                                {{4, udp_tunnel(tunnel_kind::vxlan, 4, 1)},
                                 {6, udp_tunnel(tunnel_kind::vxlan, 6, 2)},
                                 {4, gre_sum},
                                 {4, udp_tunnel(tunnel_kind::geneve, 4, 4)},
                                 {4, zero}},
                                bad_inner_checksums));
  }
  return cases;
}

}  // namespace gen_corpus

#include "corpus_case.h"

namespace gen_corpus {

corpus_case new_case(std::string name, std::string description) {
  return {std::move(name), std::move(description), capture(pcap_layout{})};
}

ip_route ipv4_route(int host) {
  ip_route route;
  route.version = 4;
  route.src = "192.0.2." + std::to_string(10 + host);
  route.dst = "198.51.100." + std::to_string(20 + host);
  return route;
}

ip_route ipv6_route(int host) {
  ip_route route;
  route.version = 6;
  route.src = "2001:db8:1::" + std::to_string(10 + host);
  route.dst = "2001:db8:2::" + std::to_string(20 + host);
  return route;
}

connection_config connection_on(const link_spec& link, const ip_route& route, int host) {
  connection_config config;
  config.link = link;
  config.route = route;
  config.client_port = static_cast<uint16_t>(50000 + 111 * host);
  config.client_isn = 0x1a2b0000u + 0x01010101u * static_cast<uint32_t>(host);
  config.server_isn = 0x5c6d0000u + 0x02020202u * static_cast<uint32_t>(host);
  return config;
}

connection_config ipv4_connection(int host) { return connection_on(ethernet_link(), ipv4_route(host), host); }

}  // namespace gen_corpus

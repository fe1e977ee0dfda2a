#pragma once

#include <string>
#include <vector>

#include "capture.h"
#include "tcp_connection.h"

namespace gen_corpus {

// One capture of the corpus: NAME.pcap[ng] and NAME.expected.pcap[ng].
struct corpus_case {
  std::string name;
  std::string description;  // one line, no tabs
  capture cap;
};

// A pcap case with nothing in its capture yet.
corpus_case new_case(std::string name, std::string description);

std::vector<corpus_case> tls_record_cases();
std::vector<corpus_case> tcp_stream_cases();
std::vector<corpus_case> link_layer_cases();
std::vector<corpus_case> ip_layer_cases();
std::vector<corpus_case> file_format_cases();
std::vector<corpus_case> tunnel_cases();

// Addresses from the documentation ranges (RFC 5737, RFC 3849); `host`
// tells connections of one case apart.
ip_route ipv4_route(int host);
ip_route ipv6_route(int host);

// A connection to port 443 from a client port derived from `host`.
connection_config connection_on(const link_spec& link, const ip_route& route, int host);
// The same over IPv4 on Ethernet, the corpus's plainest connection.
connection_config ipv4_connection(int host);

}  // namespace gen_corpus

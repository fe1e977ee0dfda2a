// Cases about the record structure inside one stream: which records there
// are, how they fall onto segments, and headers the walk must refuse.

#include "connection_script.h"
#include "corpus_case.h"
#include "tls_conversation.h"
#include "tls_messages.h"

namespace gen_corpus {

namespace {

using namespace script_words;

corpus_case basic_tls12() {
  auto c = new_case("basic_tls12",
                    "IPv4/Ethernet: SYN handshake, full TLS 1.2 handshake, application data both "
                    "ways, encrypted alerts, FIN");
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, ipv4_connection(1));
  tls12_session(conn, r, 3);
  return c;
}

corpus_case tls13_like() {
  return scripted_case("tls13_like",
                       "TLS 1.3 shape: ClientHello/ServerHello (22), CCS (20), then only type-23 "
                       "records, including the closing alerts",
                       {
                           {ipv4_connection(1),
                            {
                                tcp_handshake(),
                                tls13_handshake(),
                                app_data_round(180, 1200),
                                app_data_round(75, 2900),
                                plant(client, {record(application_data, 19)}),
                                send_rest(client),
                                plant(server, {record(application_data, 19)}),
                                send_rest(server),
                                tcp_close(),
                            }},
                       });
}

corpus_case heartbeat() {
  return scripted_case("heartbeat",
                       "Heartbeat (24) records, plaintext and encrypted-looking, both ways, between "
                       "application data",
                       {
                           {ipv4_connection(1),
                            {
                                tcp_handshake(),
                                tls12_handshake(),
                                flight(client, {record(content_type::heartbeat, drawn(heartbeat_message, 1, 18))}),
                                flight(server, {record(content_type::heartbeat, drawn(heartbeat_message, 2, 18))}),
                                app_data_round(150, 400),
                                flight(server, {record(content_type::heartbeat, 61), record(application_data, 90)}),
                                flight(client, {record(content_type::heartbeat, 61)}),
                                tls_close(),
                            }},
                       });
}

corpus_case many_records_per_segment() {
  auto c = new_case("many_records_per_segment",
                    "Dozens of small records of every type per segment, zero-length records, "
                    "headers straddling segment borders");
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, ipv4_connection(1));
  conn.handshake();
  tls12_handshake(conn, r);

  const uint8_t cycle[] = {application_data, handshake, content_type::heartbeat,
                           application_data, alert,     content_type::change_cipher_spec};
  for (const side s : {side::client, side::server}) {
    const int count = s == side::client ? 45 : 70;
    for (int i = 0; i < count; ++i) {
      const uint8_t type = cycle[static_cast<size_t>(i) % std::size(cycle)];
      // Zero-length records only where TLS allows them.
      const bool empty = type == application_data && i % 4 == 0;
      const size_t size = empty ? 0 : r.below(60) + 1;
      conn.stream(s).add_record(type, tls12, opaque(r, size));
    }
    flight(conn, s);
  }
  tls_close(conn, r);
  return c;
}

corpus_case record_spanning_many_segments() {
  auto config = ipv4_connection(1);
  config.mss = 256;
  return scripted_case(
      "record_spanning_many_segments",
      "MSS 256: a 4 KB Certificate record and a 16 KB ApplicationData record over "
      "many segments; a header split 2+3 across segments",
      {
          {config,
           {
               tcp_handshake(),
               tls12_handshake(4000),
               flight(client, {record(application_data, 3000)}),
               flight(server, {record(application_data, 16384)}),
               // The next flight starts on a segment border; a 249-byte body puts
               // the following header at 254, so it straddles the border at 256.
               flight(server, {record(application_data, 249), record(handshake, 700), record(application_data, 300)}),
               tls_close(),
           }},
      });
}

corpus_case oversize_record() {
  return scripted_case(
      "oversize_record",
      "Length 18433 is implausible: as a first header (direction masked) and "
      "mid-stream (walk stops); length 18432 on a handshake record is still walked",
      {
          {ipv4_connection(1),
           {
               tcp_handshake(),
               flight(client, {header(application_data, tls12, 18433), raw(600)}),
               flight(server, {record(handshake, drawn(server_hello, false))}),
               tcp_close(),
           }},
          {ipv4_connection(2),
           {
               tcp_handshake(),
               tls12_handshake(),
               // The walk stops at the oversize header: the last record is never reached.
               flight(server, {record(application_data, 200), header(handshake, tls12, 18433), raw(150),
                               record(handshake, 64)}),
               tcp_close(),
           }},
          {ipv4_connection(3),
           {
               tcp_handshake(),
               tls12_handshake(),
               flight(client, {record(handshake, 18432), record(application_data, 100), record(alert, 26)}),
               tcp_close(),
           }},
      });
}

// An SSLv2-compatible ClientHello: 2-byte length with the top bit set.
std::vector<uint8_t> sslv2_client_hello(rng& r) {
  std::vector<uint8_t> hello = {0x80, 0x2e, 0x01, 0x03, 0x01, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10};
  const auto rest = opaque(r, 37);
  hello.insert(hello.end(), rest.begin(), rest.end());
  return hello;
}

corpus_case bad_version() {
  return scripted_case(
      "bad_version",
      "Version major byte 2 as first header (masked) and mid-stream (walk stops); "
      "SSLv2-style hello masked; major 3 with odd minors (00, ff) still walked",
      {
          {ipv4_connection(1),
           {
               tcp_handshake(),
               flight(client, {record(handshake, 0x0200, drawn(client_hello, "v2.example.com", false))}),
               flight(server, {record(alert, plain_alert(2, 70))}),
               tcp_close(),
           }},
          {ipv4_connection(2),
           {
               tcp_handshake(),
               tls12_handshake(),
               flight(client, {record(application_data, 120), record(application_data, 0x0203, 120),
                               record(application_data, 120)}),
               tcp_close(),
           }},
          {ipv4_connection(3),
           {
               tcp_handshake(),
               flight(client, {raw(sslv2_client_hello)}),
               flight(server, {record(handshake, 0x0300, drawn(server_hello, false)), record(handshake, 0x03ff, 80),
                               record(application_data, 0x0300, 80)}),
               tcp_close(),
           }},
      });
}

corpus_case bad_content_type() {
  return scripted_case(
      "bad_content_type",
      "Content type 19 as first header (masked) and 25 mid-stream (walk stops); "
      "types 20 and 24 at the edges of the plausible range are walked",
      {
          {ipv4_connection(1),
           {
               tcp_handshake(),
               flight(client, {record(19, 90), record(handshake, 90)}),
               flight(server, {record(content_type::change_cipher_spec, change_cipher_spec()),
                               record(content_type::heartbeat, 40), record(25, 40), record(handshake, 40)}),
               tcp_close(),
           }},
      });
}

corpus_case plaintext_on_443() {
  return scripted_case(
      "plaintext_on_443",
      "HTTP/1.1 in clear on port 443 (both directions masked); a direction that "
      "starts with one plausible record and then turns to text (walk stops there)",
      {
          {ipv4_connection(1),
           {
               tcp_handshake(),
               flight(client, {raw(http_request("www.example.com", "/index.html"))}),
               flight(server, {raw(drawn(http_response, 700))}),
               tcp_close(),
           }},
          {ipv4_connection(2),
           {
               tcp_handshake(),
               flight(client, {record(handshake, tls10, 16), raw(http_request("www.example.com", "/after-a-record"))}),
               flight(server, {raw(drawn(http_response, 300))}),
               tcp_close(),
           }},
      });
}

// The policy's walk never resynchronises: tshark dissects these preambles
// and the TLS after them, the walk sees a first header that is text.
corpus_case starttls_preamble() {
  auto c = new_case("starttls_preamble",
                    "Plaintext before TLS in both directions, SMTP STARTTLS on port 25 and an HTTP CONNECT on "
                    "port 3128: every payload byte is zero, the TLS handshake that follows included");
  rng r = rng::for_name(c.name);
  const std::vector<std::pair<side, std::string_view>> smtp = {
      {side::server, "220 mail.example.net ESMTP\r\n"},           {side::client, "EHLO x\r\n"},
      {side::server, "250-mail.example.net\r\n250 STARTTLS\r\n"}, {side::client, "STARTTLS\r\n"},
      {side::server, "220 2.0.0 Ready to start TLS\r\n"},
  };
  const std::vector<std::pair<side, std::string_view>> connect = {
      {side::client, "CONNECT www.example.com:443 HTTP/1.1\r\nHost: www.example.com:443\r\n\r\n"},
      {side::server, "HTTP/1.1 200 Connection established\r\n\r\n"},
  };
  int host = 1;
  for (const auto& [port, preamble] : {std::pair{uint16_t{25}, smtp}, std::pair{uint16_t{3128}, connect}}) {
    auto config = ipv4_connection(host);
    config.server_port = port;
    ++host;
    tcp_connection conn(c.cap, config);
    conn.handshake();
    for (const auto& [s, line] : preamble) {
      conn.stream(s).add_raw(plain_text(line));
      flight(conn, s);
    }
    tls12_handshake(conn, r);
    app_data_round(conn, r, 300, 900);
    tls_close(conn, r);
  }
  return c;
}

}  // namespace

std::vector<corpus_case> tls_record_cases() {
  std::vector<corpus_case> cases;
  cases.push_back(basic_tls12());
  cases.push_back(tls13_like());
  cases.push_back(heartbeat());
  cases.push_back(many_records_per_segment());
  cases.push_back(record_spanning_many_segments());
  cases.push_back(oversize_record());
  cases.push_back(bad_version());
  cases.push_back(bad_content_type());
  cases.push_back(plaintext_on_443());
  cases.push_back(starttls_preamble());
  return cases;
}

}  // namespace gen_corpus

// Cases about turning segments into a stream: sequence wrap, order, loss,
// retransmission, snaplen, mid-stream starts, SYN data, port reuse and
// checksums.

#include "connection_script.h"
#include "corpus_case.h"
#include "tls_conversation.h"
#include "tls_messages.h"

namespace gen_corpus {

namespace {

using namespace script_words;

// Plants a TLS 1.2 handshake without sending it, so a case can pick the
// ISNs from record offsets first; returns the offsets of the
// ClientKeyExchange header and the server's CCS header.
struct planted_handshake {
  uint64_t client_key_exchange = 0;
  uint64_t client_ccs = 0;
  uint64_t server_ccs = 0;
};

planted_handshake plant_tls12_handshake(tcp_connection& conn, rng& r) {
  planted_handshake at;
  auto& client = conn.stream(side::client);
  auto& server = conn.stream(side::server);
  plant_client_hello(client, r);
  at.client_key_exchange = client.size();
  plant_client_finish(client, r);
  at.client_ccs = client.header_offsets()[2];
  plant_server_hello_flight(server, r);
  at.server_ccs = server.size();
  plant_server_finish(server, r);
  return at;
}

// Sends a handshake planted by plant_tls12_handshake, flight by flight.
void send_planted_handshake(tcp_connection& conn, const planted_handshake& at) {
  conn.handshake();
  conn.send(side::client, at.client_key_exchange);
  conn.ack(side::server);
  conn.send(side::server, at.server_ccs);
  conn.ack(side::client);
  flight(conn, side::client);
  flight(conn, side::server);
}

corpus_case seq_wrap_in_handshake() {
  auto c = new_case("seq_wrap_in_handshake",
                    "ISNs near 2^32: the wrap falls inside the ClientHello body and inside the "
                    "server's Certificate body");
  rng r = rng::for_name(c.name);
  auto config = ipv4_connection(1);
  config.client_isn = 0xffffff9c;  // wrap 99 bytes into the ClientHello record
  config.server_isn = 0xfffffe00;  // wrap 511 bytes into the server's first record
  tcp_connection conn(c.cap, config);
  tls12_session(conn, r, 2);
  return c;
}

// A point in a planted handshake: `into` bytes after one of its headers.
struct handshake_point {
  uint64_t planted_handshake::*header;
  uint64_t into = 0;
};

// The 32-bit wrap of each side falls at a chosen point of the handshake.
corpus_case seq_wrap_at(std::string name, std::string description, handshake_point client_wrap,
                        handshake_point server_wrap) {
  auto c = new_case(std::move(name), std::move(description));
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, ipv4_connection(1));
  const auto at = plant_tls12_handshake(conn, r);
  conn.wrap_at(side::client, at.*client_wrap.header + client_wrap.into);
  conn.wrap_at(side::server, at.*server_wrap.header + server_wrap.into);
  send_planted_handshake(conn, at);
  app_data_round(conn, r, 200, 900);
  tls_close(conn, r);
  return c;
}

corpus_case reordering() {
  return scripted_case(
      "reordering",
      "Segments out of order, header-carrying segments after later data; a "
      "mid-stream direction whose lowest segment (a header) is captured second",
      {
          {ipv4_connection(1),
           {
               tcp_handshake(),
               flight(client, {plant_client_hello}),
               plant(server, {server_hello_flight(2500)}),
               segment(server, 1000, 1000),
               segment(server, 2000, to_end),
               segment(server, 0, 1000),
               ack(client),
               flight(client, {plant_client_finish}),
               flight(server, {plant_server_finish}),
               plant(client, {record(application_data, 300), record(handshake, 200), record(application_data, 300)}),
               segment(client, 600, to_end),
               segment(client, 0, 250),
               segment(client, 250, 350),
               ack(server),
               app_data_round(100, 700),
               tls_close(),
           }},
          // No SYN: the stream start is the lowest sequence number, not the first
          // segment captured.
          {ipv4_connection(2),
           {
               plant(client, {plant_client_hello}),
               skip_rest(client),
               plant(client, {record(application_data, 200), record(application_data, 150), record(alert, 26)}),
               segment(client, 100, to_end),
               segment(client, 0, 100),
               ack(server),
               plant(server, {server_hello_flight()}),
               skip_rest(server),
               flight(server, {record(application_data, 500)}),
               tcp_close(),
           }},
      });
}

// The first copy of a header, and what follows, garbled: an implausible type.
std::vector<uint8_t> garbled_header(rng& r) {
  auto garbled = opaque(r, 105);
  garbled[0] = 0x99;
  return garbled;
}

corpus_case retransmission_overlap() {
  return scripted_case(
      "retransmission_overlap",
      "Retransmissions overlapping two earlier segments with different bytes: the "
      "first copy decides the walk; a garbage first copy of a header stops it",
      {
          {ipv4_connection(1),
           {
               tcp_handshake(),
               tls12_handshake(),
               // Records at +0, +125, +230 and +435, 466 bytes in all.
               plant(client, {record(application_data, 120), record(handshake, 100), record(application_data, 200),
                              record(alert, 26)}),
               segment(client, 0, 100),
               segment(client, 100, 130),
               // Overlaps both, including the type-22 header at +125, with other
               // bytes (0xee... is no plausible header).
               differing_segment(client, 50, 100, std::vector<uint8_t>(100, 0xee)),
               segment(client, 230, to_end),
               // Overlaps the end of the last segment, the alert header included.
               differing_segment(client, 400, 66, 66),
               ack(server),
               app_data_round(100, 600),
               tls_close(),
           }},
          {ipv4_connection(2),
           {
               tcp_handshake(),
               tls12_handshake(),
               // Records at +0, +105 and +210.
               plant(client, {record(application_data, 100), record(application_data, 100), record(handshake, 40)}),
               segment(client, 0, 105),
               differing_segment(client, 105, 105, garbled_header),
               segment(client, 105, 105),  // the real bytes, too late
               segment(client, 210, 45),
               ack(server),
               tls_close(),
           }},
      });
}

corpus_case duplicates() {
  auto c = new_case("duplicates",
                    "Exact duplicate packets: SYN, ClientHello, ACKs, application data; a server "
                    "segment and both SYNs seen again after data (same ISN: no new connection)");
  rng r = rng::for_name(c.name);
  auto config = ipv4_connection(1);
  config.mss = 500;
  tcp_connection conn(c.cap, config);
  auto last = [&] { return c.cap.packets().size() - 1; };

  conn.syn(side::client);
  const size_t client_syn = last();
  c.cap.repeat_packet(client_syn);
  conn.syn(side::server);
  const size_t server_syn = last();
  conn.ack(side::client);
  plant_client_hello(conn.stream(side::client), r);
  conn.send_rest(side::client);
  c.cap.repeat_packet(last());
  conn.ack(side::server);
  c.cap.repeat_packet(last());
  plant_server_hello_flight(conn.stream(side::server), r);
  conn.send(side::server, 500);
  const size_t first_server_segment = last();
  conn.send_rest(side::server);
  conn.ack(side::client);
  plant_client_finish(conn.stream(side::client), r);
  flight(conn, side::client);
  c.cap.repeat_packet(first_server_segment);
  // Late copies of both SYNs: the same ISN, so the same connection.
  c.cap.repeat_packet(client_syn);
  c.cap.repeat_packet(server_syn);
  plant_server_finish(conn.stream(side::server), r);
  flight(conn, side::server);
  conn.stream(side::client).add_record(application_data, tls12, opaque(r, 333));
  conn.send_rest(side::client);
  c.cap.repeat_packet(last());
  c.cap.repeat_packet(last());
  conn.ack(side::server);
  tls_close(conn, r);
  return c;
}

corpus_case lost_segment_in_body() {
  auto config = ipv4_connection(1);
  config.mss = 500;
  return scripted_case(
      "lost_segment_in_body",
      "Segments lost inside a Certificate body and inside an ApplicationData body: "
      "the walk goes on and later records are kept",
      {
          {config,
           {
               tcp_handshake(),
               flight(client, {plant_client_hello}),
               plant(server, {server_hello_flight(1400)}),
               send(server, 500),
               skip(server, 500),
               send_rest(server),
               ack(client),
               flight(client, {plant_client_finish}),
               flight(server, {plant_server_finish}),
               plant(client, {record(application_data, 1800), record(handshake, 60), record(application_data, 100)}),
               send(client, 500),
               skip(client, 500),
               send_rest(client),
               ack(server),
               app_data_round(80, 300),
               tls_close(),
           }},
      });
}

corpus_case lost_segment_at_header() {
  return scripted_case(
      "lost_segment_at_header",
      "A lost segment holds a whole header (server) or 3 of its 5 bytes (client): "
      "the walk stops; later segments that start with records are masked",
      {
          {ipv4_connection(1),
           {
               tcp_handshake(),
               tls12_handshake(),
               // Records at +0, +405, +710 and +765 of the flight.
               plant(server, {record(application_data, 400), record(application_data, 300), record(handshake, 50),
                              record(application_data, 100)}),
               send(server, 405),
               skip(server, 305),
               send_rest(server),
               ack(client),
               // Records at +0, +205 and +360 of the flight.
               plant(client, {record(application_data, 200), record(application_data, 150), record(handshake, 30)}),
               send(client, 207),  // 2 bytes of the header at +205
               skip(client, 100),
               send_rest(client),
               ack(server),
               tls_close(),
           }},
      });
}

corpus_case capture_ends_mid_header() {
  return scripted_case("capture_ends_mid_header",
                       "The capture ends 3 bytes into a client header and inside a server body",
                       {
                           {ipv4_connection(1),
                            {
                                tcp_handshake(),
                                tls12_handshake(),
                                app_data_round(100, 200),
                                plant(client, {record(application_data, 100), record(handshake, 40)}),
                                segment(client, 0, 108),
                                plant(server, {record(handshake, 500)}),
                                segment(server, 0, 200),
                            }},
                       });
}

corpus_case snaplen_cut() {
  pcap_layout layout;
  layout.snaplen = 200;
  corpus_case c{"snaplen_cut",
                "Snaplen 200: payloads cut inside bodies (walk goes on), one cut 2 bytes into a "
                "header (walk stops); frames cut only in the Ethernet trailer keep checksums",
                capture(layout)};
  c.cap.set_snaplen(layout.snaplen);
  rng r = rng::for_name(c.name);
  auto small_mss = ipv4_connection(1);
  small_mss.mss = 400;
  play(c.cap, small_mss, r,
       {
           tcp_handshake(),
           tls12_handshake(),
           // 66 bytes of headers leave 134 payload bytes: the second header
           // starts at 132 and is cut after 2 bytes.
           flight(client, {record(application_data, 127), record(handshake, 50)}),
           flight(server, {record(application_data, 1000)}),
           flight(server, {record(handshake, 30), record(application_data, 200)}),
           tls_close(),
       });
  auto with_trailer = ipv4_connection(2);
  with_trailer.link.trailer = {0x5f, 0x3a, 0x91, 0xc4};  // FCS-like
  play(c.cap, with_trailer, r,
       {
           tcp_handshake(),
           // 199 and 200 bytes up to the end of the IP packet: the TCP
           // segment is whole, only the trailer is cut.
           flight(client, {record(application_data, 128)}),
           flight(server, {record(handshake, 129)}),
           tcp_close(),
       });
  return c;
}

corpus_case midstream_aligned() {
  return scripted_case("midstream_aligned",
                       "No SYN: the capture starts after the handshake, and the first captured "
                       "byte of each direction is a record header",
                       {
                           {ipv4_connection(1),
                            {
                                plant(client, {plant_client_hello, plant_client_finish}),
                                plant(server, {server_hello_flight(), plant_server_finish}),
                                skip_rest(client),
                                skip_rest(server),
                                ack(client),
                                app_data_round(140, 800),
                                app_data_round(90, 2100),
                                tls_close(),
                            }},
                       });
}

// The capture starts after the handshake, `into_record` bytes into the
// client's next record.
std::vector<step> client_starts_into_record(uint64_t into_record) {
  return {
      plant(client, {plant_client_hello, plant_client_finish}),
      plant(server, {server_hello_flight(), plant_server_finish}),
      skip_rest(client),
      skip_rest(server),
      plant(client, {record(application_data, 400), record(handshake, 60), record(application_data, 100)}),
      skip(client, into_record),
      flight(client),
      flight(server, {record(application_data, 700)}),
      tls_close(),
  };
}

corpus_case midstream_misaligned() {
  return scripted_case("midstream_misaligned",
                       "No SYN: client starts mid-body and (second connection) one byte into a "
                       "header, so those directions are masked whole; aligned servers are kept",
                       {
                           {ipv4_connection(1), client_starts_into_record(155)},
                           {ipv4_connection(2), client_starts_into_record(1)},
                       });
}

corpus_case syn_with_data() {
  auto c = new_case("syn_with_data",
                    "Data in SYNs (TCP Fast Open): a whole ClientHello in the SYN; only 3 header "
                    "bytes in the SYN; a record in the SYN/ACK");
  rng r = rng::for_name(c.name);
  for (const int host : {1, 2}) {
    tcp_connection conn(c.cap, ipv4_connection(host));
    auto& client = conn.stream(side::client);
    plant_client_hello(client, r);
    conn.syn(side::client, host == 1 ? client.size() : 3);
    conn.syn(side::server);
    conn.ack(side::client);
    conn.send_rest(side::client);
    plant_server_hello_flight(conn.stream(side::server), r);
    flight(conn, side::server);
    plant_client_finish(client, r);
    flight(conn, side::client);
    plant_server_finish(conn.stream(side::server), r);
    flight(conn, side::server);
    app_data_round(conn, r, 100, 300);
    tls_close(conn, r);
  }
  {
    tcp_connection conn(c.cap, ipv4_connection(3));
    conn.stream(side::server).add_record(handshake, tls12, opaque(r, 48));
    conn.syn(side::client);
    conn.syn(side::server, conn.stream(side::server).size());
    conn.ack(side::client);
    plant_client_hello(conn.stream(side::client), r);
    flight(conn, side::client);
    app_data_round(conn, r, 100, 300);
    tls_close(conn, r);
  }
  return c;
}

corpus_case port_reuse_new_isn() {
  auto c = new_case("port_reuse_new_isn",
                    "Same 4-tuple reused after FIN with new, lower ISNs; and a SYN after "
                    "mid-stream data without one: each starts a new generation");
  rng r = rng::for_name(c.name);
  {
    auto config = ipv4_connection(1);
    config.client_isn = 0x90000000;
    config.server_isn = 0xa0000000;
    tcp_connection first(c.cap, config);
    tls12_session(first, r, 1);

    config.client_isn = 0x30000000;  // behind the old one by less than 2^31
    config.server_isn = 0x40000000;
    tcp_connection second(c.cap, config);
    second.handshake();
    tls13_handshake(second, r);
    app_data_round(second, r, 250, 1250);
    second.close();
  }
  {
    auto config = ipv4_connection(2);
    tcp_connection unseen_start(c.cap, config);
    auto& client = unseen_start.stream(side::client);
    client.add_record(application_data, tls12, opaque(r, 300));
    client.add_record(application_data, tls12, opaque(r, 300));
    unseen_start.skip(side::client, 100);  // mid-record: this generation is masked
    flight(unseen_start, side::client);
    unseen_start.stream(side::server).add_record(application_data, tls12, opaque(r, 400));
    unseen_start.skip(side::server, 7);
    flight(unseen_start, side::server);

    config.client_isn = 0x0badf00d;
    config.server_isn = 0x5eed5eed;
    tcp_connection fresh(c.cap, config);
    tls12_session(fresh, r, 1);
  }
  return c;
}

corpus_case bad_checksum() {
  const auto zeroed = segment_options::damaged(checksum_damage::zeroed);
  const auto off_by_one = segment_options::damaged(checksum_damage::off_by_one);
  return scripted_case("bad_checksum",
                       "TCP checksums wrong in the input (zero as with offload, or off by one): "
                       "payload masked as usual, checksum left as it was",
                       {
                           {ipv4_connection(1),
                            {
                                tcp_handshake(),
                                plant(client, {plant_client_hello}),
                                segment(client, 0, to_end, zeroed),
                                ack(server),
                                plant(server, {server_hello_flight()}),
                                segment(server, 0, to_end, off_by_one),
                                ack(client),
                                flight(client, {plant_client_finish}),
                                flight(server, {plant_server_finish}),
                                plant(client, {record(application_data, 400)}),
                                segment(client, 0, 405, zeroed),
                                ack(server),
                                plant(server, {record(application_data, 900)}),
                                segment(server, 0, 500, off_by_one),
                                segment(server, 500, 405),
                                ack(client),
                                tls_close(),
                            }},
                       });
}

}  // namespace

std::vector<corpus_case> tcp_stream_cases() {
  std::vector<corpus_case> cases;
  cases.push_back(seq_wrap_in_handshake());
  cases.push_back(seq_wrap_at("seq_wrap_at_record_border",
                              "Sequence number 0 is exactly a record header: mid-segment (client CCS) and "
                              "at a segment start (server CCS)",
                              {&planted_handshake::client_ccs}, {&planted_handshake::server_ccs}));
  cases.push_back(seq_wrap_at("seq_wrap_in_header",
                              "The 32-bit wrap falls inside a 5-byte header: after 2 bytes (client "
                              "ClientKeyExchange) and after 4 bytes (server CCS)",
                              {&planted_handshake::client_key_exchange, 2}, {&planted_handshake::server_ccs, 4}));
  cases.push_back(reordering());
  cases.push_back(retransmission_overlap());
  cases.push_back(duplicates());
  cases.push_back(lost_segment_in_body());
  cases.push_back(lost_segment_at_header());
  cases.push_back(capture_ends_mid_header());
  cases.push_back(snaplen_cut());
  cases.push_back(midstream_aligned());
  cases.push_back(midstream_misaligned());
  cases.push_back(syn_with_data());
  cases.push_back(port_reuse_new_isn());
  cases.push_back(bad_checksum());
  return cases;
}

}  // namespace gen_corpus

// Cases about turning segments into a stream: sequence wrap, order, loss,
// retransmission, snaplen, mid-stream starts, SYN data, port reuse and
// checksums.

#include "corpus_case.h"
#include "tls_conversation.h"
#include "tls_messages.h"

namespace gen_corpus {

namespace {

corpus_case new_case(std::string name, std::string description) {
  return {std::move(name), std::move(description), capture(pcap_layout{})};
}

connection_config first_connection(int host = 1) { return connection_on(ethernet_link(), ipv4_route(host), host); }

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
  auto config = first_connection();
  config.client_isn = 0xffffff9c;  // wrap 99 bytes into the ClientHello record
  config.server_isn = 0xfffffe00;  // wrap 511 bytes into the server's first record
  tcp_connection conn(c.cap, config);
  tls12_session(conn, r, 2);
  return c;
}

corpus_case seq_wrap_at_record_border() {
  auto c = new_case("seq_wrap_at_record_border",
                    "Sequence number 0 is exactly a record header: mid-segment (client CCS) and "
                    "at a segment start (server CCS)");
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, first_connection());
  const auto at = plant_tls12_handshake(conn, r);
  conn.wrap_at(side::client, at.client_ccs);
  conn.wrap_at(side::server, at.server_ccs);
  send_planted_handshake(conn, at);
  app_data_round(conn, r, 200, 900);
  tls_close(conn, r);
  return c;
}

corpus_case seq_wrap_in_header() {
  auto c = new_case("seq_wrap_in_header",
                    "The 32-bit wrap falls inside a 5-byte header: after 2 bytes (client "
                    "ClientKeyExchange) and after 4 bytes (server CCS)");
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, first_connection());
  const auto at = plant_tls12_handshake(conn, r);
  conn.wrap_at(side::client, at.client_key_exchange + 2);
  conn.wrap_at(side::server, at.server_ccs + 4);
  send_planted_handshake(conn, at);
  app_data_round(conn, r, 200, 900);
  tls_close(conn, r);
  return c;
}

corpus_case reordering() {
  auto c = new_case("reordering",
                    "Segments out of order, header-carrying segments after later data; a "
                    "mid-stream direction whose lowest segment (a header) is captured second");
  rng r = rng::for_name(c.name);
  {
    tcp_connection conn(c.cap, first_connection(1));
    conn.handshake();
    plant_client_hello(conn.stream(side::client), r);
    flight(conn, side::client);

    auto& server = conn.stream(side::server);
    plant_server_hello_flight(server, r, 2500);
    const uint64_t end = server.size();
    conn.segment(side::server, 1000, 1000);
    conn.segment(side::server, 2000, end - 2000);
    conn.segment(side::server, 0, 1000);
    conn.ack(side::client);
    plant_client_finish(conn.stream(side::client), r);
    flight(conn, side::client);
    plant_server_finish(server, r);
    flight(conn, side::server);

    auto& client = conn.stream(side::client);
    const uint64_t base = client.size();
    client.add_record(content_type::application_data, tls12, opaque(r, 300));
    client.add_record(content_type::handshake, tls12, opaque(r, 200));
    client.add_record(content_type::application_data, tls12, opaque(r, 300));
    conn.segment(side::client, base + 600, client.size() - base - 600);
    conn.segment(side::client, base, 250);
    conn.segment(side::client, base + 250, 350);
    conn.ack(side::server);
    app_data_round(conn, r, 100, 700);
    tls_close(conn, r);
  }
  {
    // No SYN: the stream start is the lowest sequence number, not the
    // first segment captured.
    tcp_connection conn(c.cap, first_connection(2));
    auto& client = conn.stream(side::client);
    plant_client_hello(client, r);
    conn.skip(side::client, client.size());
    const uint64_t base = client.size();
    client.add_record(content_type::application_data, tls12, opaque(r, 200));
    client.add_record(content_type::application_data, tls12, opaque(r, 150));
    client.add_record(content_type::alert, tls12, opaque(r, 26));
    conn.segment(side::client, base + 100, client.size() - base - 100);
    conn.segment(side::client, base, 100);
    conn.ack(side::server);
    auto& server = conn.stream(side::server);
    plant_server_hello_flight(server, r);
    conn.skip(side::server, server.size());
    server.add_record(content_type::application_data, tls12, opaque(r, 500));
    flight(conn, side::server);
    conn.close();
  }
  return c;
}

corpus_case retransmission_overlap() {
  auto c = new_case("retransmission_overlap",
                    "Retransmissions overlapping two earlier segments with different bytes: the "
                    "first copy decides the walk; a garbage first copy of a header stops it");
  rng r = rng::for_name(c.name);
  {
    tcp_connection conn(c.cap, first_connection(1));
    conn.handshake();
    tls12_handshake(conn, r);
    auto& client = conn.stream(side::client);
    const uint64_t base = client.size();
    client.add_record(content_type::application_data, tls12, opaque(r, 120));  // base
    client.add_record(content_type::handshake, tls12, opaque(r, 100));         // base + 125
    client.add_record(content_type::application_data, tls12, opaque(r, 200));  // base + 230
    client.add_record(content_type::alert, tls12, opaque(r, 26));              // base + 435
    conn.segment(side::client, base, 100);
    conn.segment(side::client, base + 100, 130);
    // Overlaps both, including the type-22 header at base + 125, with
    // other bytes (0xee... is no plausible header).
    std::vector<uint8_t> other(100, 0xee);
    conn.segment(side::client, base + 50, 100, segment_options::other_bytes(other));
    conn.segment(side::client, base + 230, client.size() - base - 230);
    // Overlaps the end of the last segment, the alert header included.
    conn.segment(side::client, base + 400, client.size() - base - 400,
                 segment_options::other_bytes(opaque(r, client.size() - base - 400)));
    conn.ack(side::server);
    app_data_round(conn, r, 100, 600);
    tls_close(conn, r);
  }
  {
    tcp_connection conn(c.cap, first_connection(2));
    conn.handshake();
    tls12_handshake(conn, r);
    auto& client = conn.stream(side::client);
    const uint64_t base = client.size();
    client.add_record(content_type::application_data, tls12, opaque(r, 100));  // base
    client.add_record(content_type::application_data, tls12, opaque(r, 100));  // base + 105
    client.add_record(content_type::handshake, tls12, opaque(r, 40));          // base + 210
    conn.segment(side::client, base, 105);
    auto garbled = opaque(r, 105);
    garbled[0] = 0x99;  // implausible type in the first copy of the header
    conn.segment(side::client, base + 105, 105, segment_options::other_bytes(garbled));
    conn.segment(side::client, base + 105, 105);  // the real bytes, too late
    conn.segment(side::client, base + 210, 45);
    conn.ack(side::server);
    tls_close(conn, r);
  }
  return c;
}

corpus_case duplicates() {
  auto c = new_case("duplicates",
                    "Exact duplicate packets: SYN, ClientHello, ACKs, application data; a server "
                    "segment and both SYNs seen again after data (same ISN: no new connection)");
  rng r = rng::for_name(c.name);
  auto config = first_connection();
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
  conn.stream(side::client).add_record(content_type::application_data, tls12, opaque(r, 333));
  conn.send_rest(side::client);
  c.cap.repeat_packet(last());
  c.cap.repeat_packet(last());
  conn.ack(side::server);
  tls_close(conn, r);
  return c;
}

corpus_case lost_segment_in_body() {
  auto c = new_case("lost_segment_in_body",
                    "Segments lost inside a Certificate body and inside an ApplicationData body: "
                    "the walk goes on and later records are kept");
  rng r = rng::for_name(c.name);
  auto config = first_connection();
  config.mss = 500;
  tcp_connection conn(c.cap, config);
  conn.handshake();
  plant_client_hello(conn.stream(side::client), r);
  flight(conn, side::client);
  plant_server_hello_flight(conn.stream(side::server), r, 1400);
  conn.send(side::server, 500);
  conn.skip(side::server, 500);
  conn.send_rest(side::server);
  conn.ack(side::client);
  plant_client_finish(conn.stream(side::client), r);
  flight(conn, side::client);
  plant_server_finish(conn.stream(side::server), r);
  flight(conn, side::server);

  auto& client = conn.stream(side::client);
  client.add_record(content_type::application_data, tls12, opaque(r, 1800));
  client.add_record(content_type::handshake, tls12, opaque(r, 60));
  client.add_record(content_type::application_data, tls12, opaque(r, 100));
  conn.send(side::client, 500);
  conn.skip(side::client, 500);
  conn.send_rest(side::client);
  conn.ack(side::server);
  app_data_round(conn, r, 80, 300);
  tls_close(conn, r);
  return c;
}

corpus_case lost_segment_at_header() {
  auto c = new_case("lost_segment_at_header",
                    "A lost segment holds a whole header (server) or 3 of its 5 bytes (client): "
                    "the walk stops; later segments that start with records are masked");
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, first_connection());
  conn.handshake();
  tls12_handshake(conn, r);

  // Offsets below are relative to the start of each new flight.
  auto& server = conn.stream(side::server);
  server.add_record(content_type::application_data, tls12, opaque(r, 400));  // +0
  server.add_record(content_type::application_data, tls12, opaque(r, 300));  // +405
  server.add_record(content_type::handshake, tls12, opaque(r, 50));          // +710
  server.add_record(content_type::application_data, tls12, opaque(r, 100));  // +765
  conn.send(side::server, 405);
  conn.skip(side::server, 305);
  conn.send_rest(side::server);
  conn.ack(side::client);

  auto& client = conn.stream(side::client);
  client.add_record(content_type::application_data, tls12, opaque(r, 200));  // +0
  client.add_record(content_type::application_data, tls12, opaque(r, 150));  // +205
  client.add_record(content_type::handshake, tls12, opaque(r, 30));          // +360
  conn.send(side::client, 207);                                              // 2 bytes of the header at +205
  conn.skip(side::client, 100);
  conn.send_rest(side::client);
  conn.ack(side::server);
  tls_close(conn, r);
  return c;
}

corpus_case capture_ends_mid_header() {
  auto c =
      new_case("capture_ends_mid_header", "The capture ends 3 bytes into a client header and inside a server body");
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, first_connection());
  conn.handshake();
  tls12_handshake(conn, r);
  app_data_round(conn, r, 100, 200);
  auto& client = conn.stream(side::client);
  const uint64_t h = client.size();
  client.add_record(content_type::application_data, tls12, opaque(r, 100));
  client.add_record(content_type::handshake, tls12, opaque(r, 40));
  conn.segment(side::client, h, 108);
  auto& server = conn.stream(side::server);
  const uint64_t j = server.size();
  server.add_record(content_type::handshake, tls12, opaque(r, 500));
  conn.segment(side::server, j, 200);
  return c;
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
  {
    auto config = first_connection(1);
    config.mss = 400;
    tcp_connection conn(c.cap, config);
    conn.handshake();
    tls12_handshake(conn, r);
    // 66 bytes of headers leave 134 payload bytes: the second header
    // starts at 132 and is cut after 2 bytes.
    auto& client = conn.stream(side::client);
    client.add_record(content_type::application_data, tls12, opaque(r, 127));
    client.add_record(content_type::handshake, tls12, opaque(r, 50));
    flight(conn, side::client);
    conn.stream(side::server).add_record(content_type::application_data, tls12, opaque(r, 1000));
    flight(conn, side::server);
    conn.stream(side::server).add_record(content_type::handshake, tls12, opaque(r, 30));
    conn.stream(side::server).add_record(content_type::application_data, tls12, opaque(r, 200));
    flight(conn, side::server);
    tls_close(conn, r);
  }
  {
    auto config = first_connection(2);
    config.link.trailer = {0x5f, 0x3a, 0x91, 0xc4};  // FCS-like
    tcp_connection conn(c.cap, config);
    conn.handshake();
    // 199 and 200 bytes up to the end of the IP packet: the TCP segment
    // is whole, only the trailer is cut.
    conn.stream(side::client).add_record(content_type::application_data, tls12, opaque(r, 128));
    flight(conn, side::client);
    conn.stream(side::server).add_record(content_type::handshake, tls12, opaque(r, 129));
    flight(conn, side::server);
    conn.close();
  }
  return c;
}

corpus_case midstream_aligned() {
  auto c = new_case("midstream_aligned",
                    "No SYN: the capture starts after the handshake, and the first captured "
                    "byte of each direction is a record header");
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, first_connection());
  plant_tls12_handshake(conn, r);
  conn.skip(side::client, conn.stream(side::client).size());
  conn.skip(side::server, conn.stream(side::server).size());
  conn.ack(side::client);
  app_data_round(conn, r, 140, 800);
  app_data_round(conn, r, 90, 2100);
  tls_close(conn, r);
  return c;
}

corpus_case midstream_misaligned() {
  auto c = new_case("midstream_misaligned",
                    "No SYN: client starts mid-body and (second connection) one byte into a "
                    "header, so those directions are masked whole; aligned servers are kept");
  rng r = rng::for_name(c.name);
  for (const uint64_t into_record : {155, 1}) {
    tcp_connection conn(c.cap, first_connection(into_record == 1 ? 2 : 1));
    plant_tls12_handshake(conn, r);
    auto& client = conn.stream(side::client);
    const uint64_t a = client.size();
    client.add_record(content_type::application_data, tls12, opaque(r, 400));
    client.add_record(content_type::handshake, tls12, opaque(r, 60));
    client.add_record(content_type::application_data, tls12, opaque(r, 100));
    conn.skip(side::client, a + into_record);
    conn.skip(side::server, conn.stream(side::server).size());
    flight(conn, side::client);
    conn.stream(side::server).add_record(content_type::application_data, tls12, opaque(r, 700));
    flight(conn, side::server);
    tls_close(conn, r);
  }
  return c;
}

corpus_case syn_with_data() {
  auto c = new_case("syn_with_data",
                    "Data in SYNs (TCP Fast Open): a whole ClientHello in the SYN; only 3 header "
                    "bytes in the SYN; a record in the SYN/ACK");
  rng r = rng::for_name(c.name);
  for (const int host : {1, 2}) {
    tcp_connection conn(c.cap, first_connection(host));
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
    tcp_connection conn(c.cap, first_connection(3));
    conn.stream(side::server).add_record(content_type::handshake, tls12, opaque(r, 48));
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
    auto config = first_connection(1);
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
    auto config = first_connection(2);
    tcp_connection unseen_start(c.cap, config);
    auto& client = unseen_start.stream(side::client);
    client.add_record(content_type::application_data, tls12, opaque(r, 300));
    client.add_record(content_type::application_data, tls12, opaque(r, 300));
    unseen_start.skip(side::client, 100);  // mid-record: this generation is masked
    flight(unseen_start, side::client);
    unseen_start.stream(side::server).add_record(content_type::application_data, tls12, opaque(r, 400));
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
  auto c = new_case("bad_checksum",
                    "TCP checksums wrong in the input (zero as with offload, or off by one): "
                    "payload masked as usual, checksum left as it was");
  rng r = rng::for_name(c.name);
  tcp_connection conn(c.cap, first_connection());
  conn.handshake();
  auto& client = conn.stream(side::client);
  auto& server = conn.stream(side::server);
  plant_client_hello(client, r);
  conn.segment(side::client, 0, client.size(), segment_options::damaged(checksum_damage::zeroed));
  conn.ack(side::server);
  plant_server_hello_flight(server, r);
  conn.segment(side::server, 0, server.size(), segment_options::damaged(checksum_damage::off_by_one));
  conn.ack(side::client);
  plant_client_finish(client, r);
  flight(conn, side::client);
  plant_server_finish(server, r);
  flight(conn, side::server);
  const uint64_t base = client.size();
  client.add_record(content_type::application_data, tls12, opaque(r, 400));
  conn.segment(side::client, base, 405, segment_options::damaged(checksum_damage::zeroed));
  conn.ack(side::server);
  const uint64_t reply = server.size();
  server.add_record(content_type::application_data, tls12, opaque(r, 900));
  conn.segment(side::server, reply, 500, segment_options::damaged(checksum_damage::off_by_one));
  conn.segment(side::server, reply + 500, 405);
  conn.ack(side::client);
  tls_close(conn, r);
  return c;
}

}  // namespace

std::vector<corpus_case> tcp_stream_cases() {
  std::vector<corpus_case> cases;
  cases.push_back(seq_wrap_in_handshake());
  cases.push_back(seq_wrap_at_record_border());
  cases.push_back(seq_wrap_in_header());
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

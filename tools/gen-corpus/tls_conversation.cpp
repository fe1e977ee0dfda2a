#include "tls_conversation.h"

#include "tls_messages.h"

namespace gen_corpus {

void flight(tcp_connection& c, side s) {
  c.send_rest(s);
  c.ack(peer(s));
}

void plant_client_hello(tls_stream& client, rng& r) {
  client.add_record(content_type::handshake, tls10, client_hello(r, "www.example.com", false));
}

void plant_server_hello_flight(tls_stream& server, rng& r, size_t certificate_size) {
  server.add_record(content_type::handshake, tls12,
                    concat({server_hello(r, false), certificate(r, certificate_size), server_hello_done()}));
}

void plant_client_finish(tls_stream& client, rng& r) {
  client.add_record(content_type::handshake, tls12, client_key_exchange(r));
  client.add_record(content_type::change_cipher_spec, tls12, change_cipher_spec());
  client.add_record(content_type::handshake, tls12, opaque(r, 40));  // encrypted Finished
}

void plant_server_finish(tls_stream& server, rng& r) {
  server.add_record(content_type::change_cipher_spec, tls12, change_cipher_spec());
  server.add_record(content_type::handshake, tls12, opaque(r, 40));
}

void tls12_handshake(tcp_connection& c, rng& r, size_t certificate_size) {
  plant_client_hello(c.stream(side::client), r);
  flight(c, side::client);
  plant_server_hello_flight(c.stream(side::server), r, certificate_size);
  flight(c, side::server);
  plant_client_finish(c.stream(side::client), r);
  flight(c, side::client);
  plant_server_finish(c.stream(side::server), r);
  flight(c, side::server);
}

void tls13_handshake(tcp_connection& c, rng& r) {
  auto& client = c.stream(side::client);
  auto& server = c.stream(side::server);
  client.add_record(content_type::handshake, tls10, client_hello(r, "tls13.example.net", true));
  flight(c, side::client);

  server.add_record(content_type::handshake, tls12, server_hello(r, true));
  server.add_record(content_type::change_cipher_spec, tls12, change_cipher_spec());
  // EncryptedExtensions, Certificate, CertificateVerify, Finished.
  for (const size_t size : {40, 700, 280, 53}) {
    server.add_record(content_type::application_data, tls12, opaque(r, size));
  }
  flight(c, side::server);

  client.add_record(content_type::change_cipher_spec, tls12, change_cipher_spec());
  client.add_record(content_type::application_data, tls12, opaque(r, 53));
  flight(c, side::client);
}

void app_data_round(tcp_connection& c, rng& r, size_t request_size, size_t response_size) {
  c.stream(side::client).add_record(content_type::application_data, tls12, opaque(r, request_size));
  flight(c, side::client);
  c.stream(side::server).add_record(content_type::application_data, tls12, opaque(r, response_size));
  flight(c, side::server);
}

void tls_close(tcp_connection& c, rng& r) {
  c.stream(side::client).add_record(content_type::alert, tls12, opaque(r, 26));
  c.send_rest(side::client);
  c.stream(side::server).add_record(content_type::alert, tls12, opaque(r, 26));
  c.send_rest(side::server);
  c.close();
}

void tls12_session(tcp_connection& c, rng& r, int rounds) {
  c.handshake();
  tls12_handshake(c, r);
  for (int i = 0; i < rounds; ++i) {
    app_data_round(c, r, 90 + 40 * static_cast<size_t>(i), 300 + 170 * static_cast<size_t>(i));
  }
  tls_close(c, r);
}

}  // namespace gen_corpus

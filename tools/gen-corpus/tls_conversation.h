#pragma once

#include <cstddef>

#include "rng.h"
#include "tcp_connection.h"

namespace gen_corpus {

// Plant the records of common TLS exchanges in a connection's streams and
// send them flight by flight, each flight acknowledged by the peer.

// Sends what `s` has planted but not sent yet, then the peer's ACK.
void flight(tcp_connection& c, side s);

// The flights of a TLS 1.2 handshake, planted without sending, for cases
// that send them in some unusual way.
void plant_client_hello(tls_stream& client, rng& r);
void plant_server_hello_flight(tls_stream& server, rng& r, size_t certificate_size = 600);
void plant_client_finish(tls_stream& client, rng& r);  // ClientKeyExchange, CCS, Finished
void plant_server_finish(tls_stream& server, rng& r);  // CCS, Finished

// The four flights above, each sent with `flight`.
void tls12_handshake(tcp_connection& c, rng& r, size_t certificate_size = 600);
// ClientHello / ServerHello, CCS, four encrypted type-23 records /
// CCS, encrypted Finished.
void tls13_handshake(tcp_connection& c, rng& r);
void app_data_round(tcp_connection& c, rng& r, size_t request_size, size_t response_size);
// Encrypted close_notify alerts from both sides, then the FIN exchange.
void tls_close(tcp_connection& c, rng& r);

// TCP handshake, TLS 1.2 handshake, `rounds` request/response pairs, close.
void tls12_session(tcp_connection& c, rng& r, int rounds);

}  // namespace gen_corpus

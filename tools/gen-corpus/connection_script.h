#pragma once

#include <array>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <initializer_list>
#include <limits>
#include <string>
#include <type_traits>
#include <vector>

#include "corpus_case.h"
#include "rng.h"
#include "tcp_connection.h"
#include "tls_stream.h"

namespace gen_corpus {

// A connection as a table of steps, in the order the case describes it.
// Each step is named for the call it makes (the tcp_connection method or
// the tls_conversation helper), and draws its bodies from the case's rng
// when it is played, so a script draws in the order it reads.

// The words scripts are written in: the sides and the common content types.
namespace script_words {
using enum side;
using content_type::alert;
using content_type::application_data;
using content_type::handshake;
}  // namespace script_words

// Bytes a step plants: `size` opaque bytes from the rng (the common case),
// fixed bytes, or bytes a function draws.
class body {
 public:
  body(size_t opaque_size);
  body(std::vector<uint8_t> fixed);
  template <std::invocable<rng&> F>
  body(F make) : draw_(std::move(make)) {}

  std::vector<uint8_t> draw(rng& r) const { return draw_(r); }

 private:
  std::function<std::vector<uint8_t>(rng&)> draw_;
};

// The bytes `make(r, args...)` draws, e.g. drawn(server_hello, false).
template <typename... Args>
body drawn(std::vector<uint8_t> (*make)(rng&, Args...), std::type_identity_t<Args>... args) {
  return body([=](rng& r) { return make(r, args...); });
}

// What the steps of one script share while it plays.
struct script_state {
  tcp_connection& conn;
  rng& r;
  // Per side: where the bytes planted since that side last sent everything
  // begin. Offsets of `segment` steps count from there.
  std::array<uint64_t, 2> base{};
};

using step = std::function<void(script_state&)>;

// Plays `steps` on a new connection.
void play(capture& cap, const connection_config& config, rng& r, const std::vector<step>& steps);

// A connection of a scripted case: where it runs and what happens on it.
struct scripted_connection {
  connection_config config;
  std::vector<step> steps;
};

// A pcap case made of scripted connections, played in order with the rng
// of the case's name.
corpus_case scripted_case(std::string name, std::string description,
                          const std::vector<scripted_connection>& connections);

// The size of a segment that runs to the end of what its side planted.
inline constexpr size_t to_end = std::numeric_limits<size_t>::max();

// The connection itself.
step tcp_handshake();
step send(side s, size_t size);
step send_rest(side s);
step skip(side s, size_t size);
step skip_rest(side s);
step segment(side s, uint64_t offset, size_t size, segment_options options = {});
// A retransmission whose bytes differ from the stream's.
step differing_segment(side s, uint64_t offset, size_t size, body bytes);
step fragmented_segment(side s, uint64_t offset, size_t size, size_t first_fragment_size);
step ack(side s);
step tcp_close();

// What a side plants in its stream: a record (TLS 1.2 unless a version is
// given), a bare header whose length may lie, or bytes that are no record.
using planted = std::function<void(tls_stream&, rng&)>;
planted record(uint8_t type, body content);
planted record(uint8_t type, uint16_t version, body content);
planted header(uint8_t type, uint16_t version, uint16_t declared_length);
planted raw(body bytes);
// The ServerHello flight of tls_conversation.h (plant_client_hello,
// plant_client_finish and plant_server_finish are planted as they are).
planted server_hello_flight(size_t certificate_size = 600);

// Plants without sending, for steps that send in some unusual way.
step plant(side s, std::initializer_list<planted> items);
// Plants, sends what `s` has not sent yet, then the peer's ACK.
step flight(side s, std::initializer_list<planted> items = {});

// The exchanges of tls_conversation.h.
step tls12_handshake(size_t certificate_size = 600);
step tls13_handshake();
step app_data_round(size_t request_size, size_t response_size);
step tls_close();

}  // namespace gen_corpus

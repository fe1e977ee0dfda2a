#include "connection_script.h"

#include "tls_conversation.h"
#include "tls_messages.h"

namespace gen_corpus {

namespace {

size_t index_of(side s) { return s == side::client ? 0 : 1; }

uint64_t at(script_state& state, side s, uint64_t offset) { return state.base[index_of(s)] + offset; }

size_t size_at(script_state& state, side s, uint64_t offset, size_t size) {
  return size == to_end ? state.conn.stream(s).size() - at(state, s, offset) : size;
}

}  // namespace

body::body(size_t opaque_size) : draw_([opaque_size](rng& r) { return opaque(r, opaque_size); }) {}

body::body(std::vector<uint8_t> fixed) : draw_([fixed = std::move(fixed)](rng&) { return fixed; }) {}

void play(capture& cap, const connection_config& config, rng& r, const std::vector<step>& steps) {
  tcp_connection conn(cap, config);
  script_state state{conn, r};
  for (const step& s : steps) {
    s(state);
  }
}

corpus_case scripted_case(std::string name, std::string description,
                          const std::vector<scripted_connection>& connections) {
  corpus_case c{std::move(name), std::move(description), capture(pcap_layout{})};
  rng r = rng::for_name(c.name);
  for (const auto& [config, steps] : connections) {
    play(c.cap, config, r, steps);
  }
  return c;
}

step tcp_handshake() {
  return [](script_state& state) { state.conn.handshake(); };
}

step send(side s, size_t size) {
  return [=](script_state& state) { state.conn.send(s, size); };
}

step send_rest(side s) {
  return [=](script_state& state) { state.conn.send_rest(s); };
}

step skip(side s, size_t size) {
  return [=](script_state& state) { state.conn.skip(s, size); };
}

step skip_rest(side s) {
  return [=](script_state& state) { state.conn.skip(s, state.conn.stream(s).size() - state.conn.sent(s)); };
}

step segment(side s, uint64_t offset, size_t size, segment_options options) {
  return [=](script_state& state) {
    state.conn.segment(s, at(state, s, offset), size_at(state, s, offset, size), options);
  };
}

step differing_segment(side s, uint64_t offset, size_t size, body bytes) {
  return [=](script_state& state) {
    state.conn.segment(s, at(state, s, offset), size, segment_options::other_bytes(bytes.draw(state.r)));
  };
}

step fragmented_segment(side s, uint64_t offset, size_t size, size_t first_fragment_size) {
  return
      [=](script_state& state) { state.conn.fragmented_segment(s, at(state, s, offset), size, first_fragment_size); };
}

step ack(side s) {
  return [=](script_state& state) { state.conn.ack(s); };
}

step tcp_close() {
  return [](script_state& state) { state.conn.close(); };
}

planted record(uint8_t type, body content) { return record(type, tls12, std::move(content)); }

planted record(uint8_t type, uint16_t version, body content) {
  return [=](tls_stream& stream, rng& r) { stream.add_record(type, version, content.draw(r)); };
}

planted header(uint8_t type, uint16_t version, uint16_t declared_length) {
  return [=](tls_stream& stream, rng&) { stream.add_header(type, version, declared_length); };
}

planted raw(body bytes) {
  return [=](tls_stream& stream, rng& r) { stream.add_raw(bytes.draw(r)); };
}

planted server_hello_flight(size_t certificate_size) {
  return [=](tls_stream& stream, rng& r) { plant_server_hello_flight(stream, r, certificate_size); };
}

step plant(side s, std::initializer_list<planted> items) {
  return [s, items = std::vector<planted>(items)](script_state& state) {
    tls_stream& stream = state.conn.stream(s);
    // Planting after everything so far went out starts a new base.
    if (state.conn.sent(s) >= stream.size()) {
      state.base[index_of(s)] = stream.size();
    }
    for (const planted& item : items) {
      item(stream, state.r);
    }
  };
}

step flight(side s, std::initializer_list<planted> items) {
  return [s, planting = plant(s, items)](script_state& state) {
    planting(state);
    flight(state.conn, s);
  };
}

step tls12_handshake(size_t certificate_size) {
  return [=](script_state& state) { tls12_handshake(state.conn, state.r, certificate_size); };
}

step tls13_handshake() {
  return [](script_state& state) { tls13_handshake(state.conn, state.r); };
}

step app_data_round(size_t request_size, size_t response_size) {
  return [=](script_state& state) { app_data_round(state.conn, state.r, request_size, response_size); };
}

step tls_close() {
  return [](script_state& state) { tls_close(state.conn, state.r); };
}

}  // namespace gen_corpus

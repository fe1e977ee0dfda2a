#include "tcp_connection.h"

#include <algorithm>
#include <stdexcept>

#include <tins/tcp.h>

namespace gen_corpus {

namespace {
constexpr uint8_t fin_flag = Tins::TCP::FIN;
constexpr uint8_t syn_flag = Tins::TCP::SYN;
constexpr uint8_t psh_flag = Tins::TCP::PSH;
constexpr uint8_t ack_flag = Tins::TCP::ACK;
}  // namespace

tcp_connection::tcp_connection(capture& cap, connection_config config) : cap_(cap), config_(std::move(config)) {
  client_.stream_id = cap_.new_stream();
  client_.isn = config_.client_isn;
  client_.ip_id = static_cast<uint16_t>(config_.client_port * 7);
  client_.route = config_.route;
  client_.src_port = config_.client_port;
  client_.dst_port = config_.server_port;

  server_.stream_id = cap_.new_stream();
  server_.isn = config_.server_isn;
  server_.ip_id = static_cast<uint16_t>(config_.client_port * 13);
  server_.route = config_.server_route.value_or(reversed(config_.route));
  server_.src_port = config_.server_port;
  server_.dst_port = config_.client_port;
}

void tcp_connection::handshake() {
  syn(side::client);
  syn(side::server);
  ack(side::client);
}

void tcp_connection::syn(side s, size_t payload_size) {
  direction& d = dir(s);
  const uint8_t flags = s == side::client ? syn_flag : syn_flag | ack_flag;
  emit(s, flags, d.isn, stream_bytes(s, 0, payload_size), 0, true, {});
  d.sent = std::max<uint64_t>(d.sent, payload_size);
}

void tcp_connection::ack(side s) { emit(s, ack_flag, next_seq(s), {}, dir(s).sent, false, {}); }

void tcp_connection::send(side s, size_t size) {
  while (size > 0) {
    const size_t chunk = std::min(size, config_.mss);
    segment(s, dir(s).sent, chunk);
    size -= chunk;
  }
}

void tcp_connection::segment(side s, uint64_t offset, size_t size, const segment_options& options) {
  const auto planted = stream_bytes(s, offset, size);
  if (options.payload && options.payload->size() != size) {
    throw std::logic_error("replacement payload of the wrong size");
  }
  const bool ends_flight = offset + size >= stream(s).size();
  emit(s, ack_flag | (ends_flight ? psh_flag : 0), seq_of(s, offset),
       options.payload ? std::span<const uint8_t>(*options.payload) : planted, offset, false, options);
  direction& d = dir(s);
  d.sent = std::max<uint64_t>(d.sent, offset + size);
}

void tcp_connection::fragmented_segment(side s, uint64_t offset, size_t size, size_t first_fragment_size) {
  direction& d = dir(s);
  const auto payload = stream_bytes(s, offset, size);
  const auto fields = fields_for(s, ack_flag, seq_of(s, offset), false);
  d.emitted = true;
  for (const auto& fragment : fragmented_tcp_packet(d.route, d.ip_id++, fields, payload, first_fragment_size)) {
    cap_.add_ip_packet(config_.interface_id, config_.link, fragment);
  }
  d.sent = std::max<uint64_t>(d.sent, offset + size);
}

void tcp_connection::wrap_at(side s, uint64_t offset) {
  if (client_.emitted || server_.emitted) {
    throw std::logic_error("wrap_at after packets were sent");  // acks would disagree
  }
  direction& d = dir(s);
  d.isn = static_cast<uint32_t>(0 - 1 - offset);
}

void tcp_connection::fin(side s) {
  direction& d = dir(s);
  emit(s, fin_flag | ack_flag, seq_of(s, d.sent), {}, d.sent, false, {});
  d.fin_sent = true;
}

void tcp_connection::close() {
  fin(side::client);
  fin(side::server);
  ack(side::client);
}

uint32_t tcp_connection::next_seq(side s) {
  const direction& d = dir(s);
  return seq_of(s, d.sent) + (d.fin_sent ? 1 : 0);
}

std::span<const uint8_t> tcp_connection::stream_bytes(side s, uint64_t offset, size_t size) {
  const auto& bytes = stream(s).bytes();
  if (offset + size > bytes.size()) {
    throw std::logic_error("segment beyond the planted stream");
  }
  return std::span(bytes).subspan(offset, size);
}

tcp_fields tcp_connection::fields_for(side s, uint8_t flags, uint32_t seq, bool syn) {
  const direction& d = dir(s);
  tcp_fields fields;
  fields.src_port = d.src_port;
  fields.dst_port = d.dst_port;
  fields.seq = seq;
  fields.flags = flags;
  fields.ack = (flags & ack_flag) ? next_seq(peer(s)) : 0;
  fields.syn_options = syn;
  if (config_.tcp_timestamps) {
    fields.timestamp = ts_clock_;
    ts_clock_ += 3;
  }
  return fields;
}

void tcp_connection::emit(side s, uint8_t flags, uint32_t seq, std::span<const uint8_t> payload, uint64_t offset,
                          bool syn, const segment_options& options) {
  direction& d = dir(s);
  tcp_fields fields = fields_for(s, flags, seq, syn);
  fields.damage = options.damage;  // the builder writes it, meta tells the oracle
  ip_packet ip = tcp_packet(d.route, d.ip_id++, fields, payload);
  if (options.ipv4_total_length) {
    declare_ipv4_total_length(ip, *options.ipv4_total_length);
  }
  d.emitted = true;
  if (!ip.tcp) {  // inside a tunnel the tool does not follow
    cap_.add_ip_packet(config_.interface_id, config_.link, ip);
    return;
  }

  segment_meta meta;
  meta.stream_id = d.stream_id;
  meta.syn = syn;
  meta.stream_offset = offset;
  meta.damage = options.damage;
  cap_.add_tcp_segment(config_.interface_id, config_.link, ip, meta);
}

}  // namespace gen_corpus

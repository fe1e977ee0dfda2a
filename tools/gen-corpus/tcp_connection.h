#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "capture.h"
#include "ip_packet.h"
#include "link_layer.h"
#include "tls_stream.h"

namespace gen_corpus {

enum class side { client, server };

inline side peer(side s) { return s == side::client ? side::server : side::client; }

struct connection_config {
  link_spec link = ethernet_link();
  uint32_t interface_id = 0;
  ip_route route;                        // client to server
  std::optional<ip_route> server_route;  // default: reversed(route)
  uint16_t client_port = 49152;
  uint16_t server_port = 443;
  uint32_t client_isn = 0x10000000;
  uint32_t server_isn = 0x70000000;
  size_t mss = 1460;
  bool tcp_timestamps = true;
};

struct segment_options {
  // Bytes to send instead of the stream's (a retransmission that differs).
  std::optional<std::vector<uint8_t>> payload;
  checksum_damage damage = checksum_damage::none;
  // An IPv4 total length other than the true one (declare_ipv4_total_length).
  std::optional<uint16_t> ipv4_total_length;

  static segment_options other_bytes(std::vector<uint8_t> bytes) { return {std::move(bytes), {}, {}}; }
  static segment_options damaged(checksum_damage how) { return {std::nullopt, how, {}}; }
  // As a sender with segmentation offload captures its own large segments.
  static segment_options offloaded(checksum_damage how) { return {std::nullopt, how, uint16_t{0}}; }
  static segment_options ipv4_length(uint16_t total) { return {std::nullopt, {}, total}; }
};

// One TCP connection: turns the two directions' stream bytes into segments
// with the right sequence numbers and adds them to the capture, recording
// for every segment which stream bytes it carries.
class tcp_connection {
 public:
  tcp_connection(capture& cap, connection_config config);

  tls_stream& stream(side s) { return cap_.stream(dir(s).stream_id); }
  uint64_t sent(side s) { return dir(s).sent; }

  void handshake();  // SYN, SYN/ACK, ACK
  // The client's SYN or the server's SYN/ACK, carrying the first
  // `payload_size` stream bytes (TCP Fast Open).
  void syn(side s, size_t payload_size = 0);
  void ack(side s);
  // The next `size` stream bytes, cut at the MSS.
  void send(side s, size_t size);
  void send_rest(side s) { send(s, stream(s).size() - dir(s).sent); }
  // The next `size` stream bytes go out but the capture never sees them.
  void skip(side s, size_t size) { dir(s).sent += size; }
  // One segment with stream bytes [offset, offset + size), anywhere.
  void segment(side s, uint64_t offset, size_t size, const segment_options& options = {});
  // One segment sent as two IP fragments, the first carrying
  // `first_fragment_size` bytes of the TCP segment. The tool leaves
  // fragments alone, so for its walk these stream bytes are a gap.
  void fragmented_segment(side s, uint64_t offset, size_t size, size_t first_fragment_size);
  void fin(side s);
  void close();  // FIN from the client, FIN/ACK from the server, last ACK

  // Chooses the ISN of `s` so that stream offset `offset` has sequence
  // number 0: the 32-bit wrap falls exactly there. Before any packet.
  void wrap_at(side s, uint64_t offset);

  uint32_t seq_of(side s, uint64_t offset) { return dir(s).isn + 1 + static_cast<uint32_t>(offset); }

 private:
  struct direction {
    size_t stream_id = 0;
    uint32_t isn = 0;
    uint64_t sent = 0;  // one past the highest stream offset sent
    bool emitted = false;
    bool fin_sent = false;
    uint16_t ip_id = 0;
    ip_route route;
    uint16_t src_port = 0;
    uint16_t dst_port = 0;
  };

  direction& dir(side s) { return s == side::client ? client_ : server_; }
  // The sequence number after everything `s` has sent, its FIN included.
  uint32_t next_seq(side s);
  std::span<const uint8_t> stream_bytes(side s, uint64_t offset, size_t size);
  tcp_fields fields_for(side s, uint8_t flags, uint32_t seq, bool syn);
  void emit(side s, uint8_t flags, uint32_t seq, std::span<const uint8_t> payload, uint64_t offset, bool syn,
            const segment_options& options);

  capture& cap_;
  connection_config config_;
  direction client_;
  direction server_;
  uint32_t ts_clock_ = 0x00a0b000;
};

}  // namespace gen_corpus

#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "ip_packet.h"
#include "link_layer.h"
#include "tls_stream.h"

namespace gen_corpus {

enum class packet_block { enhanced, simple, obsolete };  // pcapng EPB, SPB, OPB

struct packet {
  uint32_t interface_id = 0;
  uint32_t link_type = 0;
  uint64_t ts_ns = 0;
  std::vector<uint8_t> frame;     // the whole frame as it was on the wire
  size_t caplen = 0;              // how much of `frame` the capture holds
  std::vector<uint8_t> expected;  // `frame` as the tool must write it
  // [begin, end) of `frame` the tool must zero besides TCP payloads: the
  // link trailer and what ip_packet::zeroed names.
  std::vector<std::pair<size_t, size_t>> zeroed;
  packet_block block = packet_block::enhanced;
  std::string comment;  // pcapng opt_comment
};

enum class packet_bytes { input, expected };

// The captured part of a packet's frame, as it goes into a file.
inline std::span<const uint8_t> stored_bytes(const packet& p, packet_bytes which) {
  const auto& bytes = which == packet_bytes::input ? p.frame : p.expected;
  return std::span(bytes).first(p.caplen);
}

// What the builder knows about a TCP segment the tool has to follow.
struct tcp_segment_fact {
  size_t packet_index = 0;
  size_t stream_id = 0;
  bool syn = false;
  uint64_t stream_offset = 0;  // of the first payload byte; 0 is ISN+1
  bool checksum_corrupted = false;
  tcp_location where;  // offsets are into the frame
};

// A tunnel checksum (outer UDP, GRE) around a followed TCP segment.
struct outer_checksum_fact {
  size_t packet_index = 0;
  outer_checksum_location where;  // offsets are into the frame
};

struct pcap_layout {
  enum class format { microsecond, nanosecond, modified };  // modified: Kuznetzov
  format magic = format::microsecond;
  bool big_endian = false;
  uint32_t link_type = linktype::ethernet;
  uint32_t snaplen = 262144;
};

struct pcapng_section {
  bool big_endian = false;
  std::string application;
};

struct pcapng_interface {
  uint32_t link_type = linktype::ethernet;
  uint32_t snaplen = 0;            // 0: no limit
  std::optional<uint8_t> tsresol;  // if_tsresol; absent means microseconds
  int64_t tsoffset = 0;            // if_tsoffset in seconds; 0 is not written
  std::string name;
};

// A block the tool does not interpret; the body is written as given
// (already in the section's byte order, padded to 32 bits).
struct pcapng_block {
  uint32_t type = 0;
  std::vector<uint8_t> body;
};

struct pcapng_packet {
  size_t index = 0;
};

using pcapng_item = std::variant<pcapng_section, pcapng_interface, pcapng_packet, pcapng_block>;

struct pcapng_layout {
  std::vector<pcapng_item> items;  // file order
};

struct segment_meta {
  size_t stream_id = 0;
  bool syn = false;
  uint64_t stream_offset = 0;
  checksum_damage damage = checksum_damage::none;
};

// One capture file under construction: packets with their frames, the
// facts the oracle needs, and the file structure around them.
class capture {
 public:
  explicit capture(pcap_layout layout);
  capture();  // pcapng: begin a section first

  // pcapng structure, in file order.
  void begin_section(bool big_endian, std::string application = "pktmask-gen-corpus");
  uint32_t add_interface(pcapng_interface interface);
  void add_block(uint32_t type, std::vector<uint8_t> body);
  bool section_big_endian() const;
  void use_block(packet_block block) { block_ = block; }
  void comment_next(std::string comment) { comment_ = std::move(comment); }

  void set_clock(uint64_t start_ns, uint64_t step_ns);
  void set_snaplen(size_t snaplen) { snaplen_ = snaplen; }

  size_t new_stream();
  tls_stream& stream(size_t id) { return streams_.at(id); }
  const std::deque<tls_stream>& streams() const { return streams_; }

  void add_tcp_segment(uint32_t interface_id, const link_spec& link, const ip_packet& ip, const segment_meta& meta);
  // Packets the tool does not follow as TCP: non-TCP, fragments, ICMP errors.
  void add_ip_packet(uint32_t interface_id, const link_spec& link, const ip_packet& ip);
  void add_frame(uint32_t interface_id, const link_spec& link, uint16_t network_ethertype,
                 std::span<const uint8_t> network_packet);
  // An exact copy of an earlier packet (a duplicate seen twice by the capture).
  void repeat_packet(size_t index);

  std::vector<packet>& packets() { return packets_; }
  const std::vector<packet>& packets() const { return packets_; }
  const std::vector<tcp_segment_fact>& segments() const { return segments_; }
  // In capture order; innermost first within a packet.
  const std::vector<outer_checksum_fact>& outer_checksums() const { return outer_checksums_; }
  const std::variant<pcap_layout, pcapng_layout>& layout() const { return layout_; }
  std::string extension() const;

 private:
  // A packet whose network-layer packet of `network_size` bytes starts at
  // `framed.header_length`; `zeroed` is relative to that start.
  size_t push(uint32_t interface_id, const link_spec& link, framed_packet framed, size_t network_size,
              const std::vector<std::pair<size_t, size_t>>& zeroed);
  const pcapng_interface& interface_of(uint32_t interface_id) const;
  size_t effective_snaplen(uint32_t interface_id) const;

  std::variant<pcap_layout, pcapng_layout> layout_;
  std::vector<pcapng_interface> section_interfaces_;  // of the current pcapng section
  std::vector<packet> packets_;
  std::vector<tcp_segment_fact> segments_;
  std::vector<outer_checksum_fact> outer_checksums_;
  std::deque<tls_stream> streams_;
  uint64_t clock_ns_ = 1'700'000'000'000'000'000ULL;
  uint64_t step_ns_ = 1'000'000;
  size_t snaplen_ = 0;
  packet_block block_ = packet_block::enhanced;
  std::string comment_;
};

}  // namespace gen_corpus

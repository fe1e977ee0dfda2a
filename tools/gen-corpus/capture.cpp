#include "capture.h"

#include <algorithm>
#include <stdexcept>

namespace gen_corpus {

capture::capture(pcap_layout layout) : layout_(layout) {}

capture::capture() : layout_(pcapng_layout{}) {}

void capture::begin_section(bool big_endian, std::string application) {
  auto& ng = std::get<pcapng_layout>(layout_);
  ng.items.emplace_back(pcapng_section{big_endian, std::move(application)});
  section_interfaces_.clear();
}

uint32_t capture::add_interface(pcapng_interface interface) {
  auto& ng = std::get<pcapng_layout>(layout_);
  if (ng.items.empty()) {
    throw std::logic_error("pcapng interface before any section");
  }
  section_interfaces_.push_back(interface);
  ng.items.emplace_back(std::move(interface));
  return static_cast<uint32_t>(section_interfaces_.size() - 1);
}

void capture::add_block(uint32_t type, std::vector<uint8_t> body) {
  if (body.size() % 4 != 0) {
    throw std::logic_error("pcapng block body must be padded to 32 bits");
  }
  std::get<pcapng_layout>(layout_).items.emplace_back(pcapng_block{type, std::move(body)});
}

bool capture::section_big_endian() const {
  const auto& items = std::get<pcapng_layout>(layout_).items;
  for (auto it = items.rbegin(); it != items.rend(); ++it) {
    if (const auto* section = std::get_if<pcapng_section>(&*it)) {
      return section->big_endian;
    }
  }
  throw std::logic_error("no pcapng section yet");
}

void capture::set_clock(uint64_t start_ns, uint64_t step_ns) {
  clock_ns_ = start_ns;
  step_ns_ = step_ns;
}

size_t capture::new_stream() {
  streams_.emplace_back();
  return streams_.size() - 1;
}

void capture::add_tcp_segment(uint32_t interface_id, const link_spec& link, const ip_packet& ip,
                              const segment_meta& meta) {
  if (!ip.tcp) {
    throw std::logic_error("add_tcp_segment needs a TCP packet");
  }
  auto framed = frame_packet(link, ip.ethertype, ip.bytes);
  const size_t header_length = framed.header_length;
  tcp_location where = *ip.tcp;
  where.shift(header_length);

  const size_t index = push(interface_id, link, std::move(framed), ip.bytes.size(), ip.zeroed);

  tcp_segment_fact fact;
  fact.packet_index = index;
  fact.stream_id = meta.stream_id;
  fact.syn = meta.syn;
  fact.stream_offset = meta.stream_offset;
  fact.checksum_corrupted = meta.damage != checksum_damage::none;
  fact.where = std::move(where);
  segments_.push_back(std::move(fact));

  for (const auto& outer : ip.outer_checksums) {
    outer_checksum_fact f{index, outer};
    f.where.shift(header_length);
    outer_checksums_.push_back(std::move(f));
  }
}

void capture::add_ip_packet(uint32_t interface_id, const link_spec& link, const ip_packet& ip) {
  auto framed = frame_packet(link, ip.ethertype, ip.bytes);
  const size_t header_length = framed.header_length;
  const size_t index = push(interface_id, link, std::move(framed), ip.bytes.size(), ip.zeroed);
  for (const auto& checksum : ip.outer_checksums) {
    outer_checksum_fact f{index, checksum};
    f.where.shift(header_length);
    outer_checksums_.push_back(std::move(f));
  }
}

void capture::add_frame(uint32_t interface_id, const link_spec& link, uint16_t network_ethertype,
                        std::span<const uint8_t> network_packet) {
  push(interface_id, link, frame_packet(link, network_ethertype, network_packet), network_packet.size(), {});
}

void capture::repeat_packet(size_t index) {
  packet copy = packets_.at(index);
  copy.ts_ns = clock_ns_;
  clock_ns_ += step_ns_;
  packets_.push_back(std::move(copy));
  if (auto* ng = std::get_if<pcapng_layout>(&layout_)) {
    ng->items.emplace_back(pcapng_packet{packets_.size() - 1});
  }
  for (const auto& fact : segments_) {
    if (fact.packet_index == index) {
      tcp_segment_fact again = fact;
      again.packet_index = packets_.size() - 1;
      segments_.push_back(std::move(again));
      break;
    }
  }
  const size_t count = outer_checksums_.size();
  for (size_t i = 0; i < count; ++i) {
    if (outer_checksums_[i].packet_index == index) {
      outer_checksum_fact again = outer_checksums_[i];
      again.packet_index = packets_.size() - 1;
      outer_checksums_.push_back(std::move(again));
    }
  }
}

std::string capture::extension() const { return std::holds_alternative<pcap_layout>(layout_) ? ".pcap" : ".pcapng"; }

const pcapng_interface& capture::interface_of(uint32_t interface_id) const {
  if (interface_id >= section_interfaces_.size()) {
    throw std::logic_error("packet on an interface the section has not described");
  }
  return section_interfaces_[interface_id];
}

size_t capture::effective_snaplen(uint32_t interface_id) const {
  size_t limit = snaplen_;
  if (block_ == packet_block::simple) {
    // An SPB holds min(original length, snaplen of interface 0).
    const size_t spb_limit = interface_of(0).snaplen;
    if (interface_id != 0) {
      throw std::logic_error("simple packet blocks belong to interface 0");
    }
    if (spb_limit != 0) {
      limit = limit == 0 ? spb_limit : std::min(limit, spb_limit);
    }
  }
  return limit;
}

size_t capture::push(uint32_t interface_id, const link_spec& link, framed_packet framed, size_t network_size,
                     const std::vector<std::pair<size_t, size_t>>& zeroed) {
  if (const auto* pcap = std::get_if<pcap_layout>(&layout_)) {
    if (link.link_type != pcap->link_type || interface_id != 0) {
      throw std::logic_error("packet link type differs from the pcap header's");
    }
  } else if (interface_of(interface_id).link_type != link.link_type) {
    throw std::logic_error("packet link type differs from its interface's");
  }

  packet p;
  p.interface_id = interface_id;
  p.link_type = link.link_type;
  p.ts_ns = clock_ns_;
  clock_ns_ += step_ns_;
  p.caplen = framed.bytes.size();
  if (const size_t limit = effective_snaplen(interface_id); limit != 0) {
    p.caplen = std::min(p.caplen, limit);
  }
  for (const auto& [begin, end] : zeroed) {
    p.zeroed.emplace_back(framed.header_length + begin, framed.header_length + end);
  }
  // Ethernet padding and trailers: past the network-layer packet.
  p.zeroed.emplace_back(framed.header_length + network_size, framed.bytes.size());
  p.frame = std::move(framed.bytes);
  p.block = block_;
  p.comment = std::move(comment_);
  comment_.clear();
  packets_.push_back(std::move(p));

  if (auto* ng = std::get_if<pcapng_layout>(&layout_)) {
    ng->items.emplace_back(pcapng_packet{packets_.size() - 1});
  }
  return packets_.size() - 1;
}

}  // namespace gen_corpus

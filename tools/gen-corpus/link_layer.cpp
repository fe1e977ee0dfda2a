#include "link_layer.h"

#include <stdexcept>

#include "byte_writer.h"

namespace gen_corpus {

namespace {

constexpr uint8_t station_a[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
constexpr uint8_t station_b[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x02};
constexpr size_t ethernet_minimum_frame = 60;  // without FCS
constexpr uint16_t ppp_ipv4 = 0x0021;
constexpr uint16_t ppp_ipv6 = 0x0057;
constexpr uint16_t arphrd_ether = 1;
constexpr uint32_t af_inet = 2;

uint32_t bsd_family(const link_spec& link, uint16_t network_ethertype) {
  switch (network_ethertype) {
    case ethertype::ipv4:
      return af_inet;
    case ethertype::ipv6:
      return link.null_ipv6_family;
    default:
      throw std::invalid_argument("BSD null/loop links carry only IP");
  }
}

void ethernet_header(byte_writer& w, const link_spec& link, uint16_t network_ethertype, size_t network_length) {
  w.bytes(station_b);  // destination
  w.bytes(station_a);  // source
  for (const auto& tag : link.vlan_tags) {
    w.u16(tag.tpid);
    w.u16(tag.vid & 0x0fff);
  }
  if (!link.mpls_labels.empty()) {
    w.u16(ethertype::mpls);
    for (size_t i = 0; i < link.mpls_labels.size(); ++i) {
      const bool bottom = i + 1 == link.mpls_labels.size();
      w.u32(link.mpls_labels[i] << 12 | (bottom ? 0x100u : 0u) | 64u);
    }
  } else if (link.pppoe_session) {
    w.u16(ethertype::pppoe_session);
    w.u8(0x11);     // version 1, type 1
    w.u8(0x00);     // code: session data
    w.u16(0x2f1c);  // session id
    w.u16(static_cast<uint16_t>(network_length + 2));
    w.u16(network_ethertype == ethertype::ipv6 ? ppp_ipv6 : ppp_ipv4);
  } else {
    w.u16(network_ethertype);
  }
}

}  // namespace

link_spec ethernet_link() { return {}; }

link_spec vlan_link(std::vector<vlan_tag> tags) {
  link_spec link;
  link.vlan_tags = std::move(tags);
  return link;
}

link_spec mpls_link(std::vector<uint32_t> labels) {
  link_spec link;
  link.mpls_labels = std::move(labels);
  return link;
}

link_spec pppoe_link() {
  link_spec link;
  link.pppoe_session = true;
  return link;
}

link_spec linux_sll_link() {
  link_spec link;
  link.kind = link_kind::linux_sll;
  link.link_type = linktype::linux_sll;
  return link;
}

link_spec linux_sll2_link() {
  link_spec link;
  link.kind = link_kind::linux_sll2;
  link.link_type = linktype::linux_sll2;
  return link;
}

link_spec raw_ip_link(uint32_t link_type) {
  link_spec link;
  link.kind = link_kind::raw_ip;
  link.link_type = link_type;
  return link;
}

link_spec bsd_null_link(bool big_endian, uint32_t ipv6_family) {
  link_spec link;
  link.kind = link_kind::bsd_null;
  link.link_type = linktype::null;
  link.null_big_endian = big_endian;
  link.null_ipv6_family = ipv6_family;
  return link;
}

link_spec bsd_loop_link(uint32_t ipv6_family) {
  link_spec link;
  link.kind = link_kind::bsd_loop;
  link.link_type = linktype::loop;
  link.null_ipv6_family = ipv6_family;
  return link;
}

framed_packet frame_packet(const link_spec& link, uint16_t network_ethertype, std::span<const uint8_t> network_packet) {
  byte_writer w;
  switch (link.kind) {
    case link_kind::ethernet:
      ethernet_header(w, link, network_ethertype, network_packet.size());
      break;
    case link_kind::linux_sll:
      w.u16(0);  // packet type: to us
      w.u16(arphrd_ether);
      w.u16(6);
      w.bytes(station_a);
      w.zeros(2);
      w.u16(network_ethertype);
      break;
    case link_kind::linux_sll2:
      w.u16(network_ethertype);
      w.u16(0);  // reserved
      w.u32(3);  // interface index
      w.u16(arphrd_ether);
      w.u8(0);  // packet type: to us
      w.u8(6);
      w.bytes(station_a);
      w.zeros(2);
      break;
    case link_kind::raw_ip:
      if (network_ethertype != ethertype::ipv4 && network_ethertype != ethertype::ipv6) {
        throw std::invalid_argument("raw IP links carry only IP");
      }
      break;
    case link_kind::bsd_null: {
      byte_writer family(link.null_big_endian);
      family.u32(bsd_family(link, network_ethertype));
      w.bytes(family.data());
      break;
    }
    case link_kind::bsd_loop:
      w.u32(bsd_family(link, network_ethertype));  // always network order
      break;
  }

  framed_packet out;
  out.header_length = w.size();
  w.bytes(network_packet);
  if (link.kind == link_kind::ethernet) {
    w.bytes(link.trailer);
    while (w.size() < ethernet_minimum_frame) {
      w.u8(0);
    }
  }
  out.bytes = w.take();
  return out;
}

}  // namespace gen_corpus

// Ethernet II and 802.1Q / 802.1ad tags (any stack depth: each tag is a layer).
#include "common/decode/layer.h"

namespace pktmask::decode {

namespace {
constexpr size_t kEthernetHeader = 14;
constexpr size_t kVlanTag = 4;
}  // namespace

Step parse_ethernet(const ByteReader& packet, Span span, Context& context) {
  uint16_t type = packet.be16(span.offset + 12);
  // Before the length check: a header cut by snaplen is a header, and its addresses are sites.
  if (!add_site(context, span.offset, AddressKind::mac) || !add_site(context, span.offset + 6, AddressKind::mac))
    return address_overflow(context, span.offset);
  if (span.length < kEthernetHeader || !packet.ok()) return truncated(context);
  accept_header(context, span.offset + kEthernetHeader);
  // An 802.3 length field: LLC, which is not decoded.
  if (type < 0x0600) return undecoded(context, DecodeOutcome::not_tcp, UndecodedReason::ethertype);
  return by_ethertype(type, {span.offset + kEthernetHeader, span.length - kEthernetHeader}, context);
}

// The tag's TCI is skipped; the EtherType after it names the next layer.
Step parse_vlan(const ByteReader& packet, Span span, Context& context) {
  uint16_t type = packet.be16(span.offset + 2);
  if (span.length < kVlanTag || !packet.ok()) return truncated(context);
  accept_header(context, span.offset + kVlanTag);
  return by_ethertype(type, {span.offset + kVlanTag, span.length - kVlanTag}, context);
}

Step by_ethertype(uint16_t ethertype, Span rest, Context& context) {
  switch (ethertype) {
    case 0x0800:
      return {Layer::ipv4, rest};
    case 0x86dd:
      return {Layer::ipv6, rest};
    case 0x0806:  // ARP
    case 0x8035:  // RARP
      return {Layer::arp, rest};
    case 0x8100:
    case 0x88a8:
    case 0x9100:
      return {Layer::vlan, rest};
    case 0x8847:
    case 0x8848:
      return {Layer::mpls, rest};
    case 0x8864:
      return {Layer::pppoe_session, rest};
    default:
      return undecoded(context, DecodeOutcome::not_tcp, UndecodedReason::ethertype);
  }
}

}  // namespace pktmask::decode

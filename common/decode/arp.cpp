// ARP and RARP (RFC 826): the fixed 8 bytes and the four addresses whose
// lengths they declare are the packet; the rest of the frame is trailer.
#include "common/decode/layer.h"

namespace pktmask::decode {

namespace {
constexpr size_t kFixedHeader = 8;
constexpr uint16_t kIpv4 = 0x0800;

// Sender hardware and protocol address, then target hardware and protocol
// address; MACs and IPv4 addresses are sites.
bool add_addresses(Context& context, size_t at, uint8_t hardware_length, uint8_t protocol_length, uint16_t protocol) {
  bool mac = hardware_length == 6, ipv4 = protocol_length == 4 && protocol == kIpv4;
  for (size_t pair = at + kFixedHeader, end = at + kFixedHeader + 2 * (size_t{hardware_length} + protocol_length);
       pair < end; pair += hardware_length + protocol_length) {
    if (mac && !add_site(context, pair, AddressKind::mac)) return false;
    if (ipv4 && !add_site(context, pair + hardware_length, AddressKind::ipv4)) return false;
  }
  return true;
}
}  // namespace

Step parse_arp(const ByteReader& packet, Span span, Context& context) {
  uint16_t protocol = packet.be16(span.offset + 2);
  uint8_t hardware_length = packet.u8(span.offset + 4);
  uint8_t protocol_length = packet.u8(span.offset + 5);
  if (!packet.ok()) return truncated(context);
  size_t length = kFixedHeader + 2 * (size_t{hardware_length} + protocol_length);
  if (span.length >= length || span.offset + span.length >= context.captured) {
    if (!add_addresses(context, span.offset, hardware_length, protocol_length, protocol))
      return address_overflow(context, span.offset);
  }
  if (span.length < length) return short_header(context, span);
  accept_header(context, span.offset + length);
  bound_packet(context, span.offset + length);
  return stop(context, DecodeOutcome::not_tcp);
}

}  // namespace pktmask::decode

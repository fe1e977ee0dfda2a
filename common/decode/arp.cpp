// ARP and RARP (RFC 826): the fixed 8 bytes and the four addresses whose
// lengths they declare are the packet; the rest of the frame is trailer.
#include "common/decode/layer.h"

namespace pktmask::decode {

namespace {
constexpr size_t kFixedHeader = 8;
}

Step parse_arp(const ByteReader& packet, Span span, Context& context) {
  uint8_t hardware_length = packet.u8(span.offset + 4);
  uint8_t protocol_length = packet.u8(span.offset + 5);
  if (!packet.ok()) return truncated(context);
  size_t length = kFixedHeader + 2 * (size_t{hardware_length} + protocol_length);
  if (span.length < length) return short_header(context, span);
  accept_header(context, span.offset + length);
  bound_packet(context, span.offset + length);
  return stop(context, DecodeOutcome::not_tcp);
}

}  // namespace pktmask::decode

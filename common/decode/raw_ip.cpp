// Link types with no header before IP: the version nibble picks IPv4 or IPv6.
#include "common/decode/layer.h"

namespace pktmask::decode {

Step parse_raw_ip(const ByteReader& packet, Span span, Context& context) {
  return by_ip_version(packet, span, context, UndecodedReason::malformed);
}

Step by_ip_version(const ByteReader& packet, Span span, Context& context, UndecodedReason reason) {
  uint8_t first = packet.u8(span.offset);
  if (span.length < 1 || !packet.ok()) return truncated(context);
  switch (first >> 4) {
    case 4:
      return {Layer::ipv4, span};
    case 6:
      return {Layer::ipv6, span};
    default:
      return undecoded(context, DecodeOutcome::unsupported, reason);
  }
}

}  // namespace pktmask::decode

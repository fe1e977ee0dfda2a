// GRE version 0 without routing (RFC 2784/2890): optional checksum, key and
// sequence words. Other versions and routing are not decoded.
#include "common/decode/layer.h"

namespace pktmask::decode {

namespace {
constexpr uint16_t kChecksumPresent = 0x8000;
constexpr uint16_t kRoutingPresent = 0x4000;
constexpr uint16_t kKeyPresent = 0x2000;
constexpr uint16_t kSequencePresent = 0x1000;
constexpr uint16_t kVersionMask = 0x0007;
constexpr uint16_t kTransparentEthernet = 0x6558;
}  // namespace

Step parse_gre(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset;
  uint16_t flags = packet.be16(at);
  uint16_t protocol = packet.be16(at + 2);
  if (span.length < 4 || !packet.ok()) return short_header(context, span);
  if ((flags & kRoutingPresent) || (flags & kVersionMask) != 0)
    return undecoded(context, DecodeOutcome::unsupported, UndecodedReason::ip_protocol);
  size_t header =
      4 + ((flags & kChecksumPresent) ? 4 : 0) + ((flags & kKeyPresent) ? 4 : 0) + ((flags & kSequencePresent) ? 4 : 0);
  if (header > context.segment_length) return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  if (span.length < header) return truncated(context);
  if ((flags & kChecksumPresent) && !add_outer_checksum(context, {at + 4, at, context.segment_length, 0, false}))
    return undecoded(context, DecodeOutcome::unsupported, UndecodedReason::too_deep);
  if ((flags & kChecksumPresent) && !add_checksum(context, at + 4, at, context.segment_length, 0))
    return address_overflow(context, at);
  accept_header(context, at + header);
  Span rest{at + header, span.length - header};
  if (protocol == kTransparentEthernet) return {Layer::ethernet, rest};
  return by_ethertype(protocol, rest, context);
}

}  // namespace pktmask::decode

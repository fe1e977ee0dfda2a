// GRE version 0 without routing (RFC 2784/2890): optional checksum, key and
// sequence words. Anything else is left alone, as the policy says.
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
  if (span.length < 4 || !packet.ok()) return stop(context, DecodeOutcome::truncated);
  if ((flags & kRoutingPresent) || (flags & kVersionMask) != 0) return stop(context, DecodeOutcome::unsupported);
  size_t header =
      4 + ((flags & kChecksumPresent) ? 4 : 0) + ((flags & kKeyPresent) ? 4 : 0) + ((flags & kSequencePresent) ? 4 : 0);
  if (header > context.segment_length) return stop(context, DecodeOutcome::invalid);
  if (span.length < header) return stop(context, DecodeOutcome::truncated);
  if ((flags & kChecksumPresent) && !add_outer_checksum(context, {at + 4, at, context.segment_length, 0, false}))
    return stop(context, DecodeOutcome::unsupported);
  Span rest{at + header, span.length - header};
  if (protocol == kTransparentEthernet) return {Layer::ethernet, rest};
  return by_ethertype(protocol, rest, context);
}

}  // namespace pktmask::decode

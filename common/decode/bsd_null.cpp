// BSD loopback encapsulations: NULL (0) stores the address family in the
// capturing host's byte order, LOOP (108) always in network order.
#include "common/decode/layer.h"

namespace pktmask::decode {

namespace {

constexpr size_t kFamilyHeader = 4;

Step by_bsd_family(uint32_t family, Span span, Context& context) {
  accept_header(context, span.offset + kFamilyHeader);
  Span rest{span.offset + kFamilyHeader, span.length - kFamilyHeader};
  switch (family) {
    case 2:
      return {Layer::ipv4, rest};
    case 24:  // NetBSD, OpenBSD
    case 28:  // FreeBSD
    case 30:  // macOS
      return {Layer::ipv6, rest};
    default:
      return undecoded(context, DecodeOutcome::not_tcp, UndecodedReason::ethertype);
  }
}

}  // namespace

Step parse_bsd_null(const ByteReader& packet, Span span, Context& context) {
  uint32_t family = packet.le32(span.offset);
  if (span.length < kFamilyHeader || !packet.ok()) return truncated(context);
  // Families are small numbers, so a value above 0xffff was written big-endian.
  if (family > 0xffff) family = __builtin_bswap32(family);
  return by_bsd_family(family, span, context);
}

Step parse_bsd_loop(const ByteReader& packet, Span span, Context& context) {
  uint32_t family = packet.be32(span.offset);
  if (span.length < kFamilyHeader || !packet.ok()) return truncated(context);
  return by_bsd_family(family, span, context);
}

}  // namespace pktmask::decode

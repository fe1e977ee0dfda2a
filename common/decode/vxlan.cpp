// VXLAN (RFC 7348): an 8-byte header, then an Ethernet frame.
#include "common/decode/layer.h"

namespace pktmask::decode {

namespace {
constexpr size_t kVxlanHeader = 8;
}

Step parse_vxlan(const ByteReader& packet, Span span, Context& context) {
  (void)packet;
  if (span.length < kVxlanHeader) return short_header(context, span);
  accept_header(context, span.offset + kVxlanHeader);
  return {Layer::ethernet, {span.offset + kVxlanHeader, span.length - kVxlanHeader}};
}

}  // namespace pktmask::decode

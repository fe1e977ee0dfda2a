// MPLS label stacks: skip labels to the bottom of stack, then guess IPv4/IPv6
// from the version nibble (MPLS carries no payload type).
#include "common/decode/layer.h"

namespace pktmask::decode {

Step parse_mpls(const ByteReader& packet, Span span, Context& context) {
  size_t used = 0;
  for (;;) {
    uint32_t entry = packet.be32(span.offset + used);
    if (span.length < used + 4 || !packet.ok()) return truncated(context);
    used += 4;
    accept_header(context, span.offset + used);
    if (entry & 0x100) break;  // bottom of stack
  }
  return by_ip_version(packet, {span.offset + used, span.length - used}, context, UndecodedReason::ethertype);
}

}  // namespace pktmask::decode

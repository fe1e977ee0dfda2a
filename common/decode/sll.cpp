// Linux "cooked" captures: SLL (link type 113) and SLL2 (276). Both carry an
// EtherType-valued protocol field.
#include "common/decode/layer.h"

namespace pktmask::decode {

namespace {
constexpr size_t kSllHeader = 16;
constexpr size_t kSll2Header = 20;
}  // namespace

Step parse_sll(const ByteReader& packet, Span span, Context& context) {
  uint16_t protocol = packet.be16(span.offset + 14);
  if (span.length < kSllHeader || !packet.ok()) return truncated(context);
  accept_header(context, span.offset + kSllHeader);
  return by_ethertype(protocol, {span.offset + kSllHeader, span.length - kSllHeader}, context);
}

Step parse_sll2(const ByteReader& packet, Span span, Context& context) {
  uint16_t protocol = packet.be16(span.offset);
  if (span.length < kSll2Header || !packet.ok()) return truncated(context);
  accept_header(context, span.offset + kSll2Header);
  return by_ethertype(protocol, {span.offset + kSll2Header, span.length - kSll2Header}, context);
}

}  // namespace pktmask::decode

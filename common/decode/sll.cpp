// Linux "cooked" captures: SLL (link type 113) and SLL2 (276). Both carry an
// EtherType-valued protocol field.
#include "common/decode/layer.h"

namespace pktmask::decode {

namespace {
constexpr size_t kSllHeader = 16;
constexpr size_t kSll2Header = 20;
constexpr size_t kMacLength = 6;

// The link-layer address field holds a MAC when its length says 6 (it is 8 bytes long either way).
bool add_link_address(Context& context, size_t address_length, size_t at) {
  return address_length != kMacLength || add_site(context, at, AddressKind::mac);
}
}  // namespace

Step parse_sll(const ByteReader& packet, Span span, Context& context) {
  uint16_t address_length = packet.be16(span.offset + 4);
  if (!add_link_address(context, address_length, span.offset + 6)) return address_overflow(context, span.offset);
  uint16_t protocol = packet.be16(span.offset + 14);
  if (span.length < kSllHeader || !packet.ok()) return truncated(context);
  accept_header(context, span.offset + kSllHeader);
  return by_ethertype(protocol, {span.offset + kSllHeader, span.length - kSllHeader}, context);
}

Step parse_sll2(const ByteReader& packet, Span span, Context& context) {
  uint8_t address_length = packet.u8(span.offset + 11);
  if (!add_link_address(context, address_length, span.offset + 12)) return address_overflow(context, span.offset);
  uint16_t protocol = packet.be16(span.offset);
  if (span.length < kSll2Header || !packet.ok()) return truncated(context);
  accept_header(context, span.offset + kSll2Header);
  return by_ethertype(protocol, {span.offset + kSll2Header, span.length - kSll2Header}, context);
}

}  // namespace pktmask::decode

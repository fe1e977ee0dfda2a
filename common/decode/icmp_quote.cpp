#include "common/decode/icmp_quote.h"

#include <algorithm>

#include "common/decode/ipv6_extension.h"

namespace pktmask::decode {

namespace {

constexpr size_t kQuotedTransport = 8;
constexpr size_t kIpv4MinHeader = 20;
constexpr size_t kIpv6Header = 40;

// A field not captured: the quote is cut by snaplen, and all of it that was captured is header.
constexpr QuotedHeaders kCut{SIZE_MAX, UndecodedReason::none};
constexpr QuotedHeaders kMalformed{0, UndecodedReason::malformed};
constexpr QuotedHeaders kTooDeep{0, UndecodedReason::too_deep};

QuotedHeaders layout_full(Context& context) {
  context.result.addresses.overflow = true;
  return kTooDeep;
}

QuotedHeaders quoted_ipv4(const ByteReader& packet, size_t at, size_t end, Context& context) {
  if (!packet.has(at, 1)) return kCut;
  uint8_t version_ihl = packet.u8(at);
  size_t header_length = size_t{version_ihl & 0x0fu} * 4;
  if (version_ihl >> 4 != 4 || header_length < kIpv4MinHeader || at + header_length > end) return kMalformed;
  PseudoHeaderSites pseudo;
  if (!add_ip_addresses(context, at, 4, pseudo) ||
      !add_ipv4_option_sites(packet, context, at + kIpv4MinHeader, at + header_length, pseudo))
    return layout_full(context);
  if (!packet.has(at, 8)) return kCut;
  if (packet.be16(at + 2) < header_length) return kMalformed;
  if ((packet.be16(at + 6) & 0x1fff) != 0) return {at + header_length, UndecodedReason::none};
  uint8_t protocol = packet.has(at + 9, 1) ? packet.u8(at + 9) : 0;
  return {std::min(at + header_length + kQuotedTransport, end), UndecodedReason::none, at + header_length, protocol,
          pseudo};
}

QuotedHeaders quoted_ipv6(const ByteReader& packet, size_t at, size_t end, Context& context) {
  if (!packet.has(at, 1)) return kCut;
  if (packet.u8(at) >> 4 != 6 || at + kIpv6Header > end) return kMalformed;
  PseudoHeaderSites pseudo;
  if (!add_ip_addresses(context, at, 6, pseudo)) return layout_full(context);
  if (!packet.has(at + 6, 1)) return kCut;
  uint8_t next_header = packet.u8(at + 6);
  size_t offset = at + kIpv6Header;
  for (int count = 0; is_ipv6_extension(next_header); ++count) {
    if (count == kMaxIpv6Extensions) return kTooDeep;
    if (offset + 8 > end) return kMalformed;
    if (!packet.has(offset, 4)) return kCut;
    size_t length = ipv6_extension_length(next_header, packet.u8(offset + 1));
    if (offset + length > end) return kMalformed;
    if (next_header == kRouting && !add_routing_sites(packet, context, offset, length, pseudo))
      return layout_full(context);
    if (next_header == kFragment && !is_first_fragment(packet.be16(offset + 2)))
      return {offset + length, UndecodedReason::none};
    next_header = packet.u8(offset);
    offset += length;
  }
  return {std::min(offset + kQuotedTransport, end), UndecodedReason::none, offset, next_header, pseudo};
}

}  // namespace

QuotedHeaders quoted_headers(const ByteReader& packet, size_t at, size_t end, Context& context) {
  if (at >= end) return {at, UndecodedReason::none};  // nothing quoted
  // A quote that proves no header is undecoded (zeroed unless kept as is): no site may lie in it.
  AddressLayout& addresses = context.result.addresses;
  const uint8_t site_count = addresses.site_count;
  const bool cut = addresses.cut;
  const uint32_t cut_offset = addresses.cut_offset;
  QuotedHeaders quoted =
      context.family == 4 ? quoted_ipv4(packet, at, end, context) : quoted_ipv6(packet, at, end, context);
  if (quoted.problem != UndecodedReason::none) {
    addresses.site_count = site_count;
    addresses.cut = cut;
    addresses.cut_offset = cut_offset;
  }
  return quoted;
}

}  // namespace pktmask::decode

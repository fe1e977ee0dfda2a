// IPv6 and its extension headers. The TCP pseudo-header uses the final
// destination, which a routing header may hold.
#include "common/decode/layer.h"

#include <algorithm>

#include "common/decode/ipv6_extension.h"
#include "common/decode/route_sites.h"

namespace pktmask::decode {

namespace {

constexpr size_t kFixedHeader = 40;
constexpr int kMaxIpDepth = 4;

uint32_t address_sum(const FlowKey& key) {
  uint32_t sum = 0;
  for (size_t w = 0; w < 16; w += 2) sum += uint32_t(key.src[w] << 8 | key.src[w + 1]);
  for (size_t w = 0; w < 16; w += 2) sum += uint32_t(key.dst[w] << 8 | key.dst[w + 1]);
  return sum;
}

}  // namespace

Step parse_ipv6(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset;
  uint8_t version = packet.u8(at) >> 4;
  uint16_t payload_length = packet.be16(at + 4);
  uint8_t next_header = packet.u8(at + 6);
  PseudoHeaderSites pseudo;
  if (span.length < kFixedHeader || !packet.ok()) {
    if (version == 6 && !add_ip_addresses(context, at, 6, pseudo)) return address_overflow(context, at);
    return truncated(context);
  }
  if (version != 6) return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  if (++context.ip_depth > kMaxIpDepth)
    return undecoded(context, DecodeOutcome::unsupported, UndecodedReason::too_deep);
  if (!add_ip_addresses(context, at, 6, pseudo)) return address_overflow(context, at);

  auto& key = context.result.tcp.key;
  key = FlowKey{};
  key.family = 6;
  packet.copy(at + 8, 16, key.src.data());
  packet.copy(at + 24, 16, key.dst.data());
  context.family = 6;
  accept_header(context, at + kFixedHeader);
  bound_packet(context, at + kFixedHeader + payload_length);

  size_t visible = std::min<size_t>(payload_length, span.length - kFixedHeader);
  size_t offset = at + kFixedHeader;  // start of the current (extension) header
  size_t declared_left = payload_length;
  for (int count = 0; is_ipv6_extension(next_header); ++count) {
    if (count == kMaxIpv6Extensions) {
      accept_header(context, at + kFixedHeader);  // the whole chain is undecoded
      return undecoded(context, DecodeOutcome::unsupported, UndecodedReason::too_deep);
    }
    uint8_t following = packet.u8(offset);
    uint8_t length_field = packet.u8(offset + 1);
    if (declared_left < 8) return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
    if (visible < 2 || !packet.ok()) return truncated(context);
    size_t length = ipv6_extension_length(next_header, length_field);
    if (length > declared_left) return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
    if (length > visible) return truncated(context);
    accept_header(context, offset + length);
    if (next_header == kRouting && !add_routing_sites(packet, context, offset, length, pseudo))
      return address_overflow(context, offset);
    if (next_header == kFragment) {
      uint16_t offset_flags = packet.be16(offset + 2);
      if (is_real_fragment(offset_flags)) {
        context.result.fragment_bytes = static_cast<uint32_t>(declared_left - length);
        if (!is_first_fragment(offset_flags)) {
          context.segment_length = declared_left - length;
          return fragment_payload(packet, {offset + length, visible - length}, following, false, context);
        }
        context.first_fragment = true;
      }
    }
    next_header = following;
    offset += length;
    visible -= length;
    declared_left -= length;
  }
  context.pseudo_sites = pseudo.bits();
  packet.copy(pseudo.final_destination, 16, key.dst.data());
  context.segment_length = declared_left;
  context.address_sum = address_sum(key);
  if (context.first_fragment) return fragment_payload(packet, {offset, visible}, next_header, true, context);
  if (next_header == kNoNextHeader)  // nothing follows; bytes that do anyway are not placed
    return undecoded(context, DecodeOutcome::not_tcp, UndecodedReason::ip_protocol);
  return by_ip_protocol(next_header, {offset, visible}, context);
}

}  // namespace pktmask::decode

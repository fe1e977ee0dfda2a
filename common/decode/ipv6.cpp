// IPv6 and the extension headers the policy names. The TCP pseudo-header
// uses the final destination, which a routing header may hold.
#include "common/decode/layer.h"

#include <algorithm>

namespace pktmask::decode {

namespace {

constexpr size_t kFixedHeader = 40;
constexpr int kMaxIpDepth = 4;
constexpr int kMaxExtensions = 16;

enum : uint8_t {
  kHopByHop = 0,
  kRouting = 43,
  kFragment = 44,
  kAuthentication = 51,
  kNoNextHeader = 59,
  kDestinationOptions = 60,
};

// Finds the final destination in a routing header still in flight; a header
// whose segments-left is zero has already put it in the IPv6 header.
void take_final_destination(const ByteReader& packet, size_t at, size_t length, std::array<uint8_t, 16>& dst) {
  uint8_t type = packet.u8(at + 2);
  uint8_t segments_left = packet.u8(at + 3);
  if (segments_left == 0 || length < 24) return;
  size_t addresses = (length - 8) / 16;
  if (type == 0 || type == 2)
    packet.copy(at + 8 + (addresses - 1) * 16, 16, dst.data());
  else if (type == 4)
    packet.copy(at + 8, 16, dst.data());  // segment routing: Segment List[0]
}

}  // namespace

Step parse_ipv6(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset;
  uint8_t version = packet.u8(at) >> 4;
  uint16_t payload_length = packet.be16(at + 4);
  uint8_t next_header = packet.u8(at + 6);
  if (span.length < kFixedHeader || !packet.ok()) return stop(context, DecodeOutcome::truncated);
  if (version != 6) return stop(context, DecodeOutcome::invalid);
  if (++context.ip_depth > kMaxIpDepth) return stop(context, DecodeOutcome::unsupported);

  auto& key = context.result.tcp.key;
  key = FlowKey{};
  key.family = 6;
  packet.copy(at + 8, 16, key.src.data());
  packet.copy(at + 24, 16, key.dst.data());

  size_t visible = std::min<size_t>(payload_length, span.length - kFixedHeader);
  size_t offset = at + kFixedHeader;  // start of the current (extension) header
  size_t declared_left = payload_length;
  for (int i = 0; i < kMaxExtensions; ++i) {
    if (next_header != kHopByHop && next_header != kRouting && next_header != kFragment &&
        next_header != kAuthentication && next_header != kDestinationOptions) {
      if (next_header == kNoNextHeader) return stop(context, DecodeOutcome::not_tcp);
      context.family = 6;
      context.segment_length = declared_left;
      uint32_t sum = next_header;
      for (size_t w = 0; w < 16; w += 2) sum += uint32_t(key.src[w] << 8 | key.src[w + 1]);
      for (size_t w = 0; w < 16; w += 2) sum += uint32_t(key.dst[w] << 8 | key.dst[w + 1]);
      context.pseudo_sum = sum;
      return by_ip_protocol(next_header, {offset, visible}, context);
    }
    uint8_t following = packet.u8(offset);
    uint8_t length_field = packet.u8(offset + 1);
    if (visible < 8 || !packet.ok()) return stop(context, DecodeOutcome::truncated);
    size_t length = next_header == kFragment         ? 8
                    : next_header == kAuthentication ? (size_t{length_field} + 2) * 4
                                                     : (size_t{length_field} + 1) * 8;
    if (length > declared_left) return stop(context, DecodeOutcome::invalid);
    if (length > visible) return stop(context, DecodeOutcome::truncated);
    if (next_header == kRouting) take_final_destination(packet, offset, length, key.dst);
    if (next_header == kFragment) {
      uint16_t offset_flags = packet.be16(offset + 2);
      if ((offset_flags & 0xfff9) != 0) {  // non-zero offset or more-fragments: a real fragment
        context.result.fragment_bytes = static_cast<uint32_t>(declared_left - length);
        return stop(context, DecodeOutcome::fragment);
      }
    }
    next_header = following;
    offset += length;
    visible -= length;
    declared_left -= length;
  }
  return stop(context, DecodeOutcome::unsupported);
}

}  // namespace pktmask::decode

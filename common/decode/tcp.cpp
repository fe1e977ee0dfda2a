// TCP: the end of every descent. Records where the payload lies and how much
// of what the IP header declared is actually captured.
#include "common/decode/layer.h"

#include <algorithm>

namespace pktmask::decode {

namespace {
constexpr size_t kMinHeader = 20;
}

Step parse_tcp(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset;
  auto& tcp = context.result.tcp;
  tcp.key.sport = packet.be16(at);
  tcp.key.dport = packet.be16(at + 2);
  tcp.seq = packet.be32(at + 4);
  uint8_t data_offset = packet.u8(at + 12);
  tcp.flags = packet.u8(at + 13);
  if (span.length < kMinHeader || !packet.ok()) return short_header(context, span);
  size_t header_length = size_t(data_offset >> 4) * 4;
  if (header_length < kMinHeader || header_length > context.segment_length)
    return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  if (!add_checksum(context, at + 16, at, context.segment_length, context.pseudo_sites))
    return address_overflow(context, at);
  if (header_length > span.length) return truncated(context);
  tcp.header_offset = at;
  tcp.payload_offset = at + header_length;
  tcp.payload_length = static_cast<uint32_t>(context.segment_length - header_length);
  tcp.payload_captured = static_cast<uint32_t>(std::min<size_t>(tcp.payload_length, span.length - header_length));
  tcp.pseudo_header_sum = context.pseudo_sum + static_cast<uint32_t>(context.segment_length & 0xffff) +
                          static_cast<uint32_t>(context.segment_length >> 16);
  accept_header(context, tcp.payload_offset);
  return payload(context, DecodeOutcome::tcp, PayloadKind::tcp, tcp.payload_offset + tcp.payload_captured);
}

}  // namespace pktmask::decode

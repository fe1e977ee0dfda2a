// IPsec over IPv4 (IPv6 walks AH as an extension header). AH (RFC 4302) is
// a header followed by the protocol it names; ESP (RFC 4303) keeps its SPI
// and sequence number, and the rest is encrypted: PayloadKind::esp.
#include "common/decode/layer.h"

namespace pktmask::decode {

namespace {
constexpr size_t kEspHeader = 8;
constexpr size_t kAhMinHeader = 12;
}  // namespace

Step parse_ah(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset;
  uint8_t next_header = packet.u8(at);
  uint8_t length_field = packet.u8(at + 1);
  if (context.segment_length < kAhMinHeader)
    return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  if (!packet.ok()) return truncated(context);
  size_t length = (size_t{length_field} + 2) * 4;
  if (length < kAhMinHeader || length > context.segment_length)
    return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  if (length > span.length) return truncated(context);
  accept_header(context, at + length);
  context.segment_length -= length;
  return by_ip_protocol(next_header, {at + length, span.length - length}, context);
}

Step parse_esp(const ByteReader& packet, Span span, Context& context) {
  (void)packet;
  if (context.segment_length < kEspHeader)
    return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  if (span.length < kEspHeader) return truncated(context);
  accept_header(context, span.offset + kEspHeader);
  return payload(context, DecodeOutcome::not_tcp, PayloadKind::esp, span.offset + context.segment_length);
}

}  // namespace pktmask::decode

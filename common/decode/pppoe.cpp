// PPPoE session stage (RFC 2516) carrying PPP; only IPv4 and IPv6 go further.
// Its length field bounds the packet, as in Wireshark: what follows is trailer.
#include "common/decode/layer.h"

#include <algorithm>

namespace pktmask::decode {

namespace {
constexpr size_t kPppoeHeader = 6;
constexpr size_t kPppProtocol = 2;
}  // namespace

Step parse_pppoe_session(const ByteReader& packet, Span span, Context& context) {
  uint16_t length = packet.be16(span.offset + 4);
  uint16_t protocol = packet.be16(span.offset + kPppoeHeader);
  if (span.length < kPppoeHeader + kPppProtocol || !packet.ok()) return truncated(context);
  if (length < kPppProtocol) return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  accept_header(context, span.offset + kPppoeHeader + kPppProtocol);
  bound_packet(context, span.offset + kPppoeHeader + length);
  Span rest{span.offset + kPppoeHeader + kPppProtocol,
            std::min<size_t>(length - kPppProtocol, span.length - kPppoeHeader - kPppProtocol)};
  switch (protocol) {
    case 0x0021:
      return {Layer::ipv4, rest};
    case 0x0057:
      return {Layer::ipv6, rest};
    default:
      return undecoded(context, DecodeOutcome::not_tcp, UndecodedReason::ethertype);
  }
}

}  // namespace pktmask::decode

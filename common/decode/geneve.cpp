// Geneve (RFC 8926): 8 bytes plus variable options, then the protocol its
// EtherType-valued field names (usually 0x6558, an Ethernet frame).
#include "common/decode/layer.h"

namespace pktmask::decode {

namespace {
constexpr size_t kGeneveHeader = 8;
constexpr uint16_t kTransparentEthernet = 0x6558;
}  // namespace

Step parse_geneve(const ByteReader& packet, Span span, Context& context) {
  uint8_t version_options = packet.u8(span.offset);
  uint16_t protocol = packet.be16(span.offset + 2);
  if (span.length < kGeneveHeader || !packet.ok()) return short_header(context, span);
  if (version_options >> 6 != 0) return undecoded(context, DecodeOutcome::unsupported, UndecodedReason::malformed);
  size_t header = kGeneveHeader + size_t(version_options & 0x3f) * 4;
  if (span.length < header) return short_header(context, span);
  accept_header(context, span.offset + header);
  Span rest{span.offset + header, span.length - header};
  if (protocol == kTransparentEthernet) return {Layer::ethernet, rest};
  return by_ethertype(protocol, rest, context);
}

}  // namespace pktmask::decode

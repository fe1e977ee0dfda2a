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
  if (span.length < kGeneveHeader || !packet.ok()) return stop(context, DecodeOutcome::truncated);
  if (version_options >> 6 != 0) return stop(context, DecodeOutcome::unsupported);
  size_t header = kGeneveHeader + size_t(version_options & 0x3f) * 4;
  if (span.length < header) return stop(context, DecodeOutcome::truncated);
  Span rest{span.offset + header, span.length - header};
  if (protocol == kTransparentEthernet) return {Layer::ethernet, rest};
  return by_ethertype(protocol, rest, context);
}

}  // namespace pktmask::decode

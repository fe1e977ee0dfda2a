// UDP. Its payload is judged by the UDP walkers, except that of the tunnels
// the policy names: VXLAN (4789) and Geneve (6081), which are followed.
// The checksum over a tunnel covers the inner packet, so it is recorded as an
// outer checksum; otherwise as the packet's inner checksum.
#include "common/decode/layer.h"

#include <algorithm>

namespace pktmask::decode {

namespace {
constexpr size_t kUdpHeader = 8;
constexpr uint16_t kVxlanPort = 4789;
constexpr uint16_t kGenevePort = 6081;
}  // namespace

bool add_outer_checksum(Context& context, const ChecksumSpan& span) {
  if (context.result.outer_count == kMaxOuterChecksums) return false;
  context.result.outer[context.result.outer_count++] = span;
  return true;
}

ChecksumSpan transport_checksum(const Context& context, size_t field_offset, size_t start, size_t length,
                                bool zero_means_absent) {
  uint32_t pseudo = context.pseudo_sum + static_cast<uint32_t>(length & 0xffff) + static_cast<uint32_t>(length >> 16);
  return {field_offset, start, length, pseudo, zero_means_absent};
}

Step parse_udp(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset;
  uint16_t sport = packet.be16(at);
  uint16_t dport = packet.be16(at + 2);
  uint16_t length = packet.be16(at + 4);
  uint16_t checksum = packet.be16(at + 6);
  if (span.length < kUdpHeader || !packet.ok()) return short_header(context, span);
  if (length < kUdpHeader || length > context.segment_length)
    return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  if (!add_checksum(context, at + 6, at, length, context.pseudo_sites, true)) return address_overflow(context, at);
  context.result.tcp.key.sport = sport;
  context.result.tcp.key.dport = dport;
  accept_header(context, at + kUdpHeader);
  Span rest{at + kUdpHeader, std::min<size_t>(length - kUdpHeader, span.length - kUdpHeader)};
  // Over IPv4 a zero checksum means "none" and stays zero; over IPv6 it is mandatory.
  bool has_checksum = checksum != 0 || context.family == 6;
  ChecksumSpan checksum_span = transport_checksum(context, at + 6, at, length, true);
  Layer tunnel = dport == kVxlanPort ? Layer::vxlan : dport == kGenevePort ? Layer::geneve : Layer::done;
  if (tunnel != Layer::done) {
    if (has_checksum && !add_outer_checksum(context, checksum_span))
      return undecoded(context, DecodeOutcome::unsupported, UndecodedReason::too_deep);
    bound_packet(context, at + length);
    return {tunnel, rest};
  }
  context.result.inner = checksum_span;
  context.result.has_inner = has_checksum;
  if (at + length < std::min(context.packet_end, context.captured))
    context.result.layout.undecoded = UndecodedReason::udp_excess;
  return payload(context, DecodeOutcome::not_tcp, PayloadKind::udp, at + length);
}

}  // namespace pktmask::decode

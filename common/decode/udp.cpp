// UDP, followed only into the tunnels the policy names: VXLAN (4789) and
// Geneve (6081). Their outer checksum covers the inner TCP, so it is recorded.
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

Step parse_udp(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset;
  uint16_t dport = packet.be16(at + 2);
  uint16_t length = packet.be16(at + 4);
  uint16_t checksum = packet.be16(at + 6);
  if (span.length < kUdpHeader || !packet.ok()) return stop(context, DecodeOutcome::truncated);
  if (length < kUdpHeader) return stop(context, DecodeOutcome::invalid);
  Layer tunnel = dport == kVxlanPort ? Layer::vxlan : dport == kGenevePort ? Layer::geneve : Layer::done;
  if (tunnel == Layer::done) return stop(context, DecodeOutcome::not_tcp);
  // Over IPv4 a zero checksum means "none" and stays zero; over IPv6 it is mandatory.
  if ((checksum != 0 || context.family == 6) &&
      !add_outer_checksum(context, {at + 6, at, length, context.pseudo_sum + length, true}))
    return stop(context, DecodeOutcome::unsupported);
  return {tunnel, {at + kUdpHeader, std::min<size_t>(length - kUdpHeader, span.length - kUdpHeader)}};
}

}  // namespace pktmask::decode

// IPv4 with options, and IP-in-IP. A fragment's payload is not followed
// beyond a first fragment's transport header.
//
// Total length 0 is what a sender with TCP segmentation offload hands the
// capture for segments it has not split yet (they may exceed 64 KiB): the
// packet extends to the end of the captured frame, as Wireshark reads it. A
// total length beyond the captured bytes is a snaplen cut: the payload is
// what was captured.
#include "common/decode/layer.h"

#include <algorithm>

#include "common/decode/route_sites.h"

namespace pktmask::decode {

namespace {
constexpr size_t kMinHeader = 20;
constexpr int kMaxIpDepth = 4;

// The header's addresses and those of its options; the source and final
// destination make the pseudo-header of what follows.
bool add_addresses(const ByteReader& packet, Context& context, size_t at, size_t header_length,
                   PseudoHeaderSites& pseudo) {
  if (!add_ip_addresses(context, at, 4, pseudo) ||
      !add_ipv4_option_sites(packet, context, at + kMinHeader, at + header_length, pseudo))
    return false;
  context.pseudo_sites = pseudo.bits();
  return true;
}
}  // namespace

Step parse_ipv4(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset;
  uint8_t version_ihl = packet.u8(at);
  uint16_t total_length = packet.be16(at + 2);
  uint16_t fragment = packet.be16(at + 6);
  uint8_t protocol = packet.u8(at + 9);
  PseudoHeaderSites pseudo;
  if (span.length < kMinHeader || !packet.ok()) {
    if (version_ihl >> 4 == 4 && !add_addresses(packet, context, at, kMinHeader, pseudo))
      return address_overflow(context, at);
    return truncated(context);
  }
  size_t header_length = size_t{version_ihl & 0x0fu} * 4;
  bool offloaded = total_length == 0;
  if (version_ihl >> 4 != 4 || header_length < kMinHeader || (!offloaded && total_length < header_length))
    return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  if (span.length < header_length) {
    if (!add_addresses(packet, context, at, header_length, pseudo)) return address_overflow(context, at);
    return truncated(context);
  }
  if (++context.ip_depth > kMaxIpDepth)
    return undecoded(context, DecodeOutcome::unsupported, UndecodedReason::too_deep);
  if (!add_addresses(packet, context, at, header_length, pseudo) ||
      !add_checksum(context, at + 10, at, header_length, 0))
    return address_overflow(context, at);

  size_t payload_declared = offloaded ? span.length - header_length : total_length - header_length;
  accept_header(context, at + header_length);
  bound_packet(context, at + header_length + payload_declared);
  Span rest{at + header_length, std::min(payload_declared, span.length - header_length)};
  context.family = 4;
  context.segment_length = payload_declared;
  if ((fragment & 0x3fff) != 0) {  // more-fragments flag or a non-zero offset
    context.result.fragment_bytes = static_cast<uint32_t>(payload_declared);
    return fragment_payload(packet, rest, protocol, (fragment & 0x1fff) == 0, context);
  }
  auto& key = context.result.tcp.key;
  key = FlowKey{};
  key.family = 4;
  packet.copy(at + 12, 4, key.src.data());
  packet.copy(pseudo.final_destination, 4, key.dst.data());
  context.address_sum = packet.be16(at + 12) + packet.be16(at + 14) + packet.be16(pseudo.final_destination) +
                        packet.be16(pseudo.final_destination + 2);
  return by_ip_protocol(protocol, rest, context);
}

Step by_ip_protocol(uint8_t protocol, Span rest, Context& context) {
  context.pseudo_sum = context.address_sum + protocol;
  switch (protocol) {
    case 6:
      return {Layer::tcp, rest};
    case 4:
      return {Layer::ipv4, rest};
    case 41:
      return {Layer::ipv6, rest};
    case 17:
      return {Layer::udp, rest};
    case 47:
      return {Layer::gre, rest};
    case 50:
      return {Layer::esp, rest};
    case 1:
      if (context.family == 4) return {Layer::icmp, rest};
      break;
    case 2:
      if (context.family == 4) return {Layer::igmp, rest};
      break;
    case 51:  // IPv6 walks AH as an extension header
      if (context.family == 4) return {Layer::ah, rest};
      break;
    case 58:
      if (context.family == 6) return {Layer::icmpv6, rest};
      break;
    default:
      break;
  }
  return undecoded(context, DecodeOutcome::not_tcp, UndecodedReason::ip_protocol);
}

}  // namespace pktmask::decode

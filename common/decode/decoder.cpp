// The layer graph as data: link type -> first layer, layer -> parser.
#include "common/decode/decoder.h"

#include <algorithm>
#include <array>

#include "common/decode/layer.h"

namespace pktmask {

using namespace decode;

namespace {

constexpr std::array<Parser, static_cast<size_t>(Layer::count)> kParsers = {
    nullptr,    parse_ethernet, parse_vlan,     parse_mpls,   parse_pppoe_session, parse_sll,
    parse_sll2, parse_bsd_null, parse_bsd_loop, parse_raw_ip, parse_ipv4,          parse_ipv6,
    parse_tcp,  parse_udp,      parse_gre,      parse_vxlan,  parse_geneve,        parse_arp,
    parse_ah,   parse_esp,      parse_icmp,     parse_icmpv6, parse_igmp,
};

Layer first_layer(uint32_t link_type) {
  switch (link_type) {
    case 0:
      return Layer::bsd_null;
    case 1:
      return Layer::ethernet;
    case 12:
    case 14:
    case 101:
      return Layer::raw_ip;
    case 108:
      return Layer::bsd_loop;
    case 113:
      return Layer::sll;
    case 228:
      return Layer::ipv4;
    case 229:
      return Layer::ipv6;
    case 276:
      return Layer::sll2;
    default:
      return Layer::done;
  }
}

constexpr int kMaxLayers = 32;  // tag stacks are finite; crafted ones are cut here

// Closes the layout the parsers left: the payload lies after the headers and
// inside the packet, undecoded bytes run to the end of the packet, and a
// reason is counted only where some bytes are undecoded.
void finish_layout(PacketLayout& layout, size_t packet_end, size_t captured) {
  size_t end = std::max(std::min(packet_end, captured), layout.header_end);
  if (layout.payload == PayloadKind::none)
    layout.payload_end = layout.header_end;
  else
    layout.payload_end = std::clamp(layout.payload_end, layout.header_end, end);
  layout.undecoded_end = layout.undecoded == UndecodedReason::none ? layout.payload_end : end;
  if (layout.undecoded_end == layout.payload_end) layout.undecoded = UndecodedReason::none;
}

}  // namespace

const char* to_string(DecodeOutcome outcome) {
  switch (outcome) {
    case DecodeOutcome::tcp:
      return "tcp";
    case DecodeOutcome::not_tcp:
      return "not_tcp";
    case DecodeOutcome::fragment:
      return "fragment";
    case DecodeOutcome::truncated:
      return "truncated";
    case DecodeOutcome::invalid:
      return "invalid";
    case DecodeOutcome::unsupported:
      return "unsupported";
  }
  return "unknown";
}

const char* to_string(UndecodedReason reason) {
  switch (reason) {
    case UndecodedReason::none:
      return "none";
    case UndecodedReason::link_type:
      return "link_type";
    case UndecodedReason::ethertype:
      return "ethertype";
    case UndecodedReason::ip_protocol:
      return "ip_protocol";
    case UndecodedReason::malformed:
      return "malformed";
    case UndecodedReason::too_deep:
      return "too_deep";
    case UndecodedReason::udp_excess:
      return "udp_excess";
  }
  return "unknown";
}

const char* to_string(PayloadKind kind) {
  switch (kind) {
    case PayloadKind::none:
      return "none";
    case PayloadKind::tcp:
      return "tcp";
    case PayloadKind::udp:
      return "udp";
    case PayloadKind::icmp:
      return "icmp";
    case PayloadKind::fragment:
      return "fragment";
    case PayloadKind::esp:
      return "esp";
  }
  return "unknown";
}

DecodedPacket decode_packet(uint32_t link_type, std::span<const uint8_t> data) {
  DecodedPacket result;  // built where the caller wants it (one named return: no copy)
  Context context{.result = result, .captured = data.size(), .packet_end = data.size()};
  ByteReader packet(data);
  Step step{first_layer(link_type), {0, data.size()}};
  if (step.next == Layer::done) undecoded(context, DecodeOutcome::unsupported, UndecodedReason::link_type);
  for (int depth = 0; step.next != Layer::done; ++depth) {
    if (depth == kMaxLayers) {
      undecoded(context, DecodeOutcome::unsupported, UndecodedReason::too_deep);
      break;
    }
    step = kParsers[static_cast<size_t>(step.next)](packet, step.span, context);
  }
  finish_layout(result.layout, context.packet_end, data.size());
  return result;
}

}  // namespace pktmask

#include "common/decode/route_sites.h"

#include <algorithm>

namespace pktmask::decode {

namespace {

constexpr uint8_t kEndOfOptions = 0;
constexpr uint8_t kNoOperation = 1;
constexpr uint8_t kRecordRoute = 7;
constexpr uint8_t kLooseSourceRoute = 131;
constexpr uint8_t kStrictSourceRoute = 137;
constexpr uint8_t kTimestamp = 68;
constexpr size_t kRouteSlots = 3;  // where a route option's addresses start

constexpr size_t kRoutingAddresses = 8;  // where a routing header's addresses start

// The site recorded at `offset` with `bit` is the final destination.
void name_final(PseudoHeaderSites& pseudo, size_t offset, uint64_t bit) {
  pseudo.final_destination = offset;
  pseudo.destination = bit;
}

// Where the final destination lies in a routing header still in flight (0:
// in the IPv6 header, as a header whose segments-left is zero has put it there).
size_t routing_final_destination(const ByteReader& packet, size_t at, size_t length) {
  uint8_t type = packet.u8(at + 2);
  uint8_t segments_left = packet.u8(at + 3);
  if (segments_left == 0 || length < 24) return 0;
  if (type == 0 || type == 2) return at + kRoutingAddresses + ((length - 8) / 16 - 1) * 16;
  if (type == 4) return at + kRoutingAddresses;  // segment routing: Segment List[0]
  return 0;
}

}  // namespace

bool add_ip_addresses(Context& context, size_t at, uint8_t family, PseudoHeaderSites& pseudo) {
  const AddressKind kind = family == 4 ? AddressKind::ipv4 : AddressKind::ipv6;
  const size_t source = at + (family == 4 ? 12 : 8), destination = at + (family == 4 ? 16 : 24);
  pseudo.final_destination = destination;
  return add_site(context, source, kind, &pseudo.source) && add_site(context, destination, kind, &pseudo.destination);
}

// The route options' every 4-byte slot (filled or not: an empty one is
// zeros, which map to themselves), and the timestamp option's addresses
// when its flag says it pairs each timestamp with one (1, 3). A source
// route's pointer (1-based, to the next slot to visit) at or before its last
// slot leaves that slot the final destination.
bool add_ipv4_option_sites(const ByteReader& packet, Context& context, size_t options, size_t end,
                           PseudoHeaderSites& pseudo) {
  for (size_t at = options; at < end && packet.has(at, 1);) {
    uint8_t type = packet.u8(at);
    if (type == kEndOfOptions) break;
    if (type == kNoOperation) {
      ++at;
      continue;
    }
    if (at + 2 > end || !packet.has(at + 1, 1)) break;
    uint8_t length = packet.u8(at + 1);
    if (length < 2 || at + length > end) break;
    const bool source_route = type == kLooseSourceRoute || type == kStrictSourceRoute;
    size_t first = 0, stride = 4;
    if (type == kRecordRoute || source_route) first = kRouteSlots;
    if (type == kTimestamp && length >= 4 && packet.has(at + 3, 1)) {
      uint8_t flag = packet.u8(at + 3) & 0x0f;
      if (flag == 1 || flag == 3) first = 4, stride = 8;
    }
    const size_t pointer = source_route && packet.has(at + 2, 1) ? packet.u8(at + 2) : 0;
    for (size_t slot = at + first; first != 0 && slot + 4 <= at + length; slot += stride) {
      uint64_t bit = 0;
      if (!add_site(context, slot, AddressKind::ipv4, &bit)) return false;
      const bool last = slot + 4 + stride > at + length;
      if (source_route && last && pointer >= 1 && pointer - 1 <= slot - at) name_final(pseudo, slot, bit);
    }
    at += length;
  }
  return true;
}

// The addresses of routing types 0 and 2 and segment routing's (4) segment list.
bool add_routing_sites(const ByteReader& packet, Context& context, size_t at, size_t length,
                       PseudoHeaderSites& pseudo) {
  const size_t final_destination = routing_final_destination(packet, at, length);
  uint8_t type = packet.u8(at + 2);
  size_t count = (length - 8) / 16;
  if (type == 4)
    count = std::min<size_t>(count, size_t{packet.u8(at + 4)} + 1);
  else if (type != 0 && type != 2)
    count = 0;
  for (size_t i = 0; i < count; ++i) {
    size_t offset = at + kRoutingAddresses + i * 16;
    uint64_t bit = 0;
    if (!add_site(context, offset, AddressKind::ipv6, &bit)) return false;
    if (offset == final_destination) name_final(pseudo, offset, bit);
  }
  return true;
}

}  // namespace pktmask::decode

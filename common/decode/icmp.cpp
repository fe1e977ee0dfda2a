// ICMP, ICMPv6 and IGMP (policy sections 2, 5 and 10). Type, code, checksum
// and the 4-byte rest-of-header are a header; error messages quote an IP
// packet whose headers are kept; neighbour discovery and MLD messages are
// headers throughout; the data of every other message is PayloadKind::icmp.
#include "common/decode/layer.h"

#include <algorithm>
#include <optional>

#include "common/decode/group_membership.h"
#include "common/decode/icmp_quote.h"

namespace pktmask::decode {

namespace {

constexpr size_t kIcmpHeader = 8;
constexpr uint8_t kRedirect = 137;
constexpr uint8_t kRedirectedHeaderOption = 4;
constexpr size_t kOptionHeader = 8;  // the redirected-header option's type, length and 6 reserved bytes
constexpr uint8_t kSourceLinkLayerOption = 1;
constexpr uint8_t kTargetLinkLayerOption = 2;
constexpr uint8_t kMldQuery = 130;
constexpr uint8_t kMldv2Report = 143;
constexpr uint8_t kIgmpv3Report = 0x22;
constexpr uint8_t kIgmpQuery = 0x11;

bool is_icmp_error(uint8_t type) { return type == 3 || type == 5 || type == 11 || type == 12; }
bool is_icmpv6_error(uint8_t type) { return type >= 1 && type <= 4; }
bool is_mld(uint8_t type) { return (type >= 130 && type <= 132) || type == 143; }

// Neighbour discovery (RFC 4861): the fixed part of each message before its options; 0 if not ND.
size_t neighbour_discovery_body(uint8_t type) {
  switch (type) {
    case 133:
      return 8;
    case 134:
      return 16;
    case 135:
    case 136:
      return 24;
    case kRedirect:
      return 40;
    default:
      return 0;
  }
}

// A message shorter than its 8-byte header: the step that ends its decoding.
// Otherwise records its checksum and returns nothing.
std::optional<Step> check_header(const ByteReader& packet, Span span, Context& context, const ChecksumSpan& checksum) {
  if (context.segment_length < kIcmpHeader)
    return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  if (span.length < kIcmpHeader || !packet.ok()) return truncated(context);
  context.result.inner = checksum;
  context.result.has_inner = true;
  return std::nullopt;
}

// The quoted IPv4 header's checksum, and the quoted transport checksum (UDP)
// when it lies within the quote's headers: its pseudo-header is the quoted
// source and final destination. One past them (TCP's, at 16 of the 8 bytes
// kept) lies in ICMP data, which masking zeroes: no update may fill it again.
bool add_quote_checksums(const ByteReader& packet, size_t at, size_t message_end, const QuotedHeaders& quoted,
                         Context& context) {
  if (!packet.has(at, 1)) return true;
  if (context.family == 4 && !add_checksum(context, at + 10, at, size_t{packet.u8(at) & 0x0fu} * 4, 0)) return false;
  size_t field = quoted.protocol == 17 ? 6 : quoted.protocol == 6 ? 16 : 0;
  if (quoted.transport == 0 || field == 0 || quoted.transport + field + 2 > quoted.end ||
      !packet.has(quoted.transport + field, 2))
    return true;
  return add_checksum(context, quoted.transport + field, quoted.transport, message_end - quoted.transport,
                      quoted.pseudo.bits(), quoted.protocol == 17);
}

// The quote at `at`: its headers are kept and the rest of the message is ICMP data.
Step quote(const ByteReader& packet, size_t at, size_t message_end, Context& context) {
  QuotedHeaders quoted = quoted_headers(packet, at, message_end, context);
  if (quoted.problem == UndecodedReason::none && !add_quote_checksums(packet, at, message_end, quoted, context))
    return address_overflow(context, at);
  accept_header(context, quoted.problem == UndecodedReason::none ? quoted.end : at);
  if (quoted.problem != UndecodedReason::none) return undecoded(context, DecodeOutcome::not_tcp, quoted.problem);
  return payload(context, DecodeOutcome::not_tcp, PayloadKind::icmp, message_end);
}

Step data(Span span, size_t message_end, Context& context) {
  accept_header(context, span.offset + kIcmpHeader);
  return payload(context, DecodeOutcome::not_tcp, PayloadKind::icmp, message_end);
}

// ND options are type-length-value, the length in units of 8 bytes; all are
// headers but a redirect's redirected-header option, which quotes a packet.
Step neighbour_discovery(const ByteReader& packet, uint8_t type, size_t options, size_t message_end, Context& context) {
  for (size_t at = options; at < message_end;) {
    accept_header(context, at);
    if (at + 2 > message_end) return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
    if (!packet.has(at, 2)) break;
    uint8_t option = packet.u8(at);
    size_t length = size_t{packet.u8(at + 1)} * 8;
    if (length == 0 || at + length > message_end)
      return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
    bool link_layer = option == kSourceLinkLayerOption || option == kTargetLinkLayerOption;
    if (link_layer && length == 8 && !add_site(context, at + 2, AddressKind::mac)) return address_overflow(context, at);
    if (type == kRedirect && option == kRedirectedHeaderOption) {
      accept_header(context, at + kOptionHeader);
      return quote(packet, at + kOptionHeader, at + length, context);
    }
    at += length;
  }
  accept_header(context, message_end);
  return stop(context, DecodeOutcome::not_tcp);
}

// The target of a neighbour solicitation or advertisement, a redirect's
// target and destination.
bool add_neighbour_addresses(Context& context, uint8_t type, size_t at) {
  if (type != 135 && type != 136 && type != kRedirect) return true;
  if (!add_site(context, at + 8, AddressKind::ipv6)) return false;
  return type != kRedirect || add_site(context, at + 24, AddressKind::ipv6);
}

bool add_mld_addresses(const ByteReader& packet, uint8_t type, size_t at, size_t message_end, Context& context) {
  if (type == kMldv2Report) return add_report_addresses(packet, context, at, message_end, AddressKind::ipv6);
  // Only a query lists sources after its group address.
  size_t end = type == kMldQuery ? message_end : std::min(message_end, at + kMldFormat.source_count);
  return add_query_addresses(packet, context, at, end, kMldFormat);
}

}  // namespace

Step parse_icmp(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset;
  uint8_t type = packet.u8(at);
  if (auto end = check_header(packet, span, context, {at + 2, at, context.segment_length, 0, false})) return *end;
  if (!add_checksum(context, at + 2, at, context.segment_length, 0)) return address_overflow(context, at);
  size_t message_end = at + context.segment_length;
  if (!is_icmp_error(type)) return data(span, message_end, context);
  accept_header(context, at + kIcmpHeader);
  return quote(packet, at + kIcmpHeader, message_end, context);
}

Step parse_icmpv6(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset;
  uint8_t type = packet.u8(at);
  if (auto end =
          check_header(packet, span, context, transport_checksum(context, at + 2, at, context.segment_length, false)))
    return *end;
  if (!add_checksum(context, at + 2, at, context.segment_length, context.pseudo_sites))
    return address_overflow(context, at);
  size_t message_end = at + context.segment_length;
  accept_header(context, at + kIcmpHeader);
  if (is_icmpv6_error(type)) return quote(packet, at + kIcmpHeader, message_end, context);
  if (is_mld(type)) {
    if (!add_mld_addresses(packet, type, at, message_end, context)) return address_overflow(context, at);
    accept_header(context, message_end);
    return stop(context, DecodeOutcome::not_tcp);
  }
  size_t body = neighbour_discovery_body(type);
  if (body == 0) return data(span, message_end, context);
  if (context.segment_length < body) return undecoded(context, DecodeOutcome::invalid, UndecodedReason::malformed);
  if (!add_neighbour_addresses(context, type, at)) return address_overflow(context, at);
  return neighbour_discovery(packet, type, at + body, message_end, context);
}

// IGMP messages (v1-v3, RFC 3376) are headers throughout.
Step parse_igmp(const ByteReader& packet, Span span, Context& context) {
  const size_t at = span.offset, end = at + context.segment_length;
  uint8_t type = packet.has(at, 1) ? packet.u8(at) : 0;
  bool added =
      type == kIgmpv3Report
          ? add_report_addresses(packet, context, at, end, AddressKind::ipv4)
          : add_query_addresses(packet, context, at,
                                type == kIgmpQuery ? end : std::min(end, at + kIgmpFormat.source_count), kIgmpFormat);
  if (!added || !add_checksum(context, at + 2, at, context.segment_length, 0)) return address_overflow(context, at);
  accept_header(context, span.offset + context.segment_length);
  return stop(context, DecodeOutcome::not_tcp);
}

}  // namespace pktmask::decode

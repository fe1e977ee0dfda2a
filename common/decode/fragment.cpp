// IP fragments (policy section 6): the datagram is not reassembled, so its
// transport payload is judged nowhere and zeroed. A first fragment starts
// with the transport header, which is a header; it may be cut by the
// fragment's end, whose container (the datagram) the decoder never sees.
// The transport checksum covers the whole datagram: it is not recorded for
// masking, but for anonymization it is, as its pseudo-header holds the
// addresses and an incremental update needs none of the other fragments.
#include "common/decode/layer.h"

#include <algorithm>
#include <optional>

namespace pktmask::decode {

namespace {

constexpr size_t kTcpMinHeader = 20;

// How many bytes of the transport header a first fragment starts with, or
// nullopt when the header contradicts itself.
std::optional<size_t> transport_header(const ByteReader& packet, Span rest, uint8_t protocol, const Context& context) {
  switch (protocol) {
    case 6: {
      uint8_t data_offset = packet.u8(rest.offset + 12);
      if (!packet.ok()) return rest.length;  // cut before its length: all of it is header
      size_t length = size_t(data_offset >> 4) * 4;
      if (length < kTcpMinHeader) return std::nullopt;
      return length;
    }
    case 17:
    case 50:  // ESP: SPI and sequence number
      return 8;
    case 1:
      return context.family == 4 ? 8 : 0;
    case 58:
      return context.family == 6 ? 8 : 0;
    default:
      return 0;
  }
}

// The first fragment's transport checksum field, 0 if none depends on the addresses.
size_t checksum_field(uint8_t protocol, const Context& context) {
  if (protocol == 6) return 16;
  if (protocol == 17) return 6;
  if (protocol == 58 && context.family == 6) return 2;
  return 0;
}

}  // namespace

Step fragment_payload(const ByteReader& packet, Span rest, uint8_t protocol, bool first, Context& context) {
  size_t header = 0;
  if (first) {
    std::optional<size_t> length = transport_header(packet, rest, protocol, context);
    if (!length) return undecoded(context, DecodeOutcome::fragment, UndecodedReason::malformed);
    header = std::min(*length, context.segment_length);
    size_t field = checksum_field(protocol, context);
    if (field != 0 && field + 2 <= header &&
        !add_checksum(context, rest.offset + field, rest.offset, context.segment_length, context.pseudo_sites,
                      protocol == 17))
      return address_overflow(context, rest.offset);
  }
  accept_header(context, rest.offset + header);
  return payload(context, DecodeOutcome::fragment, PayloadKind::fragment, rest.offset + context.segment_length);
}

}  // namespace pktmask::decode

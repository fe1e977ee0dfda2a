#pragma once
// The IP packet an ICMP or ICMPv6 error message quotes (policy sections 5
// and 10): its IP header (IPv6 with its extension headers) and the first 8
// bytes of the transport header after it are headers; nothing past the IP
// header is after a quoted non-first fragment. Its addresses are recorded as
// an outer packet's are (route options, routing headers).

#include <cstddef>
#include <cstdint>

#include "common/byte_reader.h"
#include "common/decode/decoded_packet.h"
#include "common/decode/layer.h"
#include "common/decode/route_sites.h"

namespace pktmask::decode {

struct QuotedHeaders {
  size_t end = 0;                                   // end of the quoted headers (may lie past the captured bytes)
  UndecodedReason problem = UndecodedReason::none;  // malformed or too_deep: the quote is not a header
  size_t transport = 0;                             // the quoted transport header, 0 if none is quoted
  uint8_t protocol = 0;                             // and its protocol
  PseudoHeaderSites pseudo{};                       // the quoted transport's pseudo-header
};

// The quote of IP version context.family lies at [at, end) of the packet.
// Records its address sites; with a problem (too_deep also when the layout is
// full, which sets AddressLayout::overflow) the quote is no header, and the
// sites it recorded are forgotten.
QuotedHeaders quoted_headers(const ByteReader& packet, size_t at, size_t end, Context& context);

}  // namespace pktmask::decode

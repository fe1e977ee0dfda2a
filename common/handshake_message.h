#pragma once
// What the `handshake` option (masking policy v2, section 10 "Handshake walk")
// keeps of one handshake message's body, shared by the TLS walk over TCP and
// the DTLS walk over UDP. The caller walks the message headers (4 bytes in
// TLS, 12 in DTLS) and always keeps them; this unit judges the bytes after.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "common/byte_range.h"
#include "common/policy.h"

namespace pktmask {

enum class HandshakeFraming : uint8_t { tls, dtls };  // a DTLS ClientHello carries a cookie

// Some captured bytes of one handshake message's body.
struct HandshakeBody {
  uint8_t type = 0;                // msg_type: 1 ClientHello, 4 NewSessionTicket, 11 Certificate, ...
  std::span<const uint8_t> bytes;  // what was captured of the body, from `offset` on
  size_t declared_length = 0;      // the body's length from `offset` on as declared; `bytes` may be shorter
  size_t offset = 0;               // where `bytes` begin in the body (a DTLS fragment's offset)
  size_t base = 0;                 // where `bytes` begin in the caller's payload or stream
  HandshakeFraming framing = HandshakeFraming::tls;
};

// Appends, in order, the ranges of body.bytes (as base + index) that `detail`
// keeps: all of them under `full`, none under `headers`, and under
// `anonymous` all but
// - in a ClientHello: each SNI host name (extension 0), each PSK identity
//   (extension 41) and the session_ticket extension's data (35). Bytes whose
//   meaning is unknown are zero to the end of the message: from a field not
//   captured whole, from the content of a vector whose (kept) length prefix
//   overruns its container, from bytes left over after the extensions or
//   inside an SNI or PSK extension after its lists. A ClientHello fragment
//   that does not start the body cannot be parsed and is zero;
// - in a Certificate: everything after the 3-byte certificate_list length;
// - in a NewSessionTicket: the ticket after its 4-byte lifetime and 2-byte
//   length (the TLS 1.2 layout: TLS 1.3 tickets are always encrypted).
void handshake_body_kept(const HandshakeBody& body, HandshakeDetail detail, std::vector<ByteRange>& ranges);

}  // namespace pktmask

#pragma once
// One handshake message judged on its own (masking policy v2, section 10,
// "Handshake walk"): which of its bytes `handshake=anonymous` keeps, and what
// version a ServerHello selected. Shared by the TLS handshake walk over a
// direction's stream (marker/) and, one datagram at a time, by DTLS, whose
// messages differ only in their 12-byte header and the ClientHello cookie.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace pktmask {

constexpr uint8_t kClientHello = 1;
constexpr uint8_t kServerHello = 2;
constexpr uint8_t kNewSessionTicket = 4;
constexpr uint8_t kCertificate = 11;
constexpr uint16_t kTls13 = 0x0304;
constexpr uint16_t kDtls13 = 0xfefc;

// How a message is laid out: DTLS has a 12-byte header and a cookie in its
// ClientHello; TLS 1.3 (negotiated) has a request context before a
// Certificate's list and a nonce in a NewSessionTicket.
struct HandshakeDialect {
  bool dtls = false;
  bool tls13 = false;
  size_t header_size() const { return dtls ? 12 : 4; }
};

// [begin, end) in bytes from the message's first header byte.
struct MessageRange {
  size_t begin = 0;
  size_t end = 0;
  bool operator==(const MessageRange&) const = default;
};

// What `handshake=anonymous` keeps of a message of type known[0] whose body
// is `body_length` bytes long. `known` holds the message's bytes from its
// first header byte up to its end or to the first byte not captured, which
// ever comes first (at least the whole header). Sorted, non-overlapping,
// within the message; every other byte is zero:
// * ClientHello: all but each SNI host name (extension 0), each PSK identity
//   (41) and session_ticket data (35); zero from the first byte not in
//   `known` or not parsed (a length that overruns its container, bytes left
//   over after a list that should fill it).
// * Certificate: the header, the TLS 1.3 request context (its length and
//   bytes) and the 3-byte certificate_list length; the list is zero.
// * NewSessionTicket: up to and including the ticket's length (lifetime,
//   and in TLS 1.3 age_add and nonce); the ticket and what follows it zero.
// * Any other type: the whole message.
std::vector<MessageRange> anonymous_kept(std::span<const uint8_t> known, uint32_t body_length,
                                         HandshakeDialect dialect);

// The version a ServerHello body selected: its supported_versions extension
// (43) if present, else its legacy_version; nothing if it does not parse.
std::optional<uint16_t> server_hello_version(std::span<const uint8_t> body);

}  // namespace pktmask

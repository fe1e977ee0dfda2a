#pragma once
// What the bodies of the handshake messages sent in the clear show of a TLS
// or DTLS session: ClientHello (offered version, SNI, ALPN), ServerHello
// (selected version, cipher suite, ALPN) and a TLS 1.2 Certificate (the
// names of each certificate of the chain). A body may be cut, malformed or
// zeroed by the policy: each reader takes what parses and ignores the rest.

#include <cstdint>
#include <optional>

#include "common/byte_reader.h"
#include "common/handshake_message.h"
#include "report/report_model.h"

namespace pktmask::report {

// Reads one whole handshake message's body, of type `type`, sent by the
// client or the server:
// - a client's ClientHello sets the protocol, the offered version where no
//   ServerHello has set one, and adds the SNI host names and ALPN protocols
//   not yet listed;
// - a server's ServerHello sets the protocol, the selected version and the
//   cipher suite, and adds the ALPN protocol selected;
// - a Certificate (TLS 1.2 and DTLS 1.2 layout) adds the subject and issuer
//   of each certificate of the chain that parses, "(zeroed)" for one the
//   policy zeroed (once for a zeroed chain).
// Returns the version a ServerHello selected, if its body shows one.
std::optional<uint16_t> read_handshake_message(uint8_t type, ByteReader body, HandshakeFraming framing,
                                               bool from_client, SecureSession& session);

}  // namespace pktmask::report

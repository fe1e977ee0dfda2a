#pragma once
// Reads what a TLS, DTLS or QUIC session still shows in the output's bytes:
// versions, cipher suite, SNI, ALPN and certificate names (SecureSession).
// The bytes are untrusted and may be zeroed by the policy: every read goes
// through the bounds-checked ByteReader, a message cut short or malformed
// ends the reading of that direction and never throws, and a name whose
// bytes are all zero is reported as "(zeroed)".

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "report/report_model.h"

namespace pktmask::report {

// The handshake bytes a TLS direction is read through at most: enough for a
// ClientHello, ServerHello and a certificate chain.
inline constexpr size_t kMaxHandshakeBytes = 64 * 1024;

// One direction of a TLS connection over TCP, fed its stream from the start
// in order (the caller reassembles); it reads records, and the handshake
// messages in their Handshake records, up to the first encrypted record.
class TlsDirectionReader {
 public:
  explicit TlsDirectionReader(bool from_client) : from_client_(from_client) {}
  // Appends the next stream bytes; fills `session` as messages complete.
  void feed(std::span<const uint8_t> bytes, SecureSession& session);
  // Nothing more of interest can follow: the caller may stop feeding and free its buffer.
  bool done() const { return done_; }

 private:
  bool from_client_;
  bool done_ = false;
  std::vector<uint8_t> pending_;    // bytes of a record not yet complete
  std::vector<uint8_t> handshake_;  // handshake message bytes not yet complete
  size_t consumed_ = 0;             // stream bytes read, against kMaxHandshakeBytes
};

// One UDP datagram's payload as the output holds it: recognises DTLS
// (records with versions 0xfeff/0xfefd, ClientHello and ServerHello read
// from unfragmented handshake messages) and QUIC (long header versions);
// fills `session` with what it shows. Returns false if it is neither.
bool read_datagram(std::span<const uint8_t> payload, bool from_client, SecureSession& session);

// The IANA name of a TLS cipher suite, or "0x%04x" where unknown.
std::string cipher_suite_name(uint16_t suite);
// "TLS 1.2", "TLS 1.3", "DTLS 1.2", "SSL 3.0", ... or "0x%04x".
std::string version_name(uint16_t version);

}  // namespace pktmask::report

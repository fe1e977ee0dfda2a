#pragma once
// Reads what a TLS, DTLS or QUIC session still shows in the output's bytes:
// versions, cipher suite, SNI, ALPN and certificate names (SecureSession).
// The bytes are untrusted and may be zeroed by the policy: every read goes
// through the bounds-checked ByteReader, a message cut short or malformed
// ends the reading of that direction and never throws, and a name whose
// bytes are all zero is reported as "(zeroed)".

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "report/report_model.h"
#include "report/tls_names.h"

namespace pktmask::report {

// The handshake bytes a TLS direction is read through at most: enough for a
// ClientHello, ServerHello and a certificate chain.
inline constexpr size_t kMaxHandshakeBytes = 64 * 1024;

// One direction of a TLS connection over TCP, fed its stream from the start
// in order (the caller reassembles); it reads records, and the handshake
// messages in their Handshake records (a message may span records), up to
// the first encrypted record. It is done at a ChangeCipherSpec or
// application data record, right after a ServerHello that selects TLS 1.3
// (all that follows is encrypted), at a first byte that is no TLS record
// header, or past kMaxHandshakeBytes. Both directions of a connection fill
// the same session; neither reader needs the other.
class TlsDirectionReader {
 public:
  explicit TlsDirectionReader(bool from_client) : from_client_(from_client) {}
  // Appends the next stream bytes; fills `session` as messages complete.
  void feed(std::span<const uint8_t> bytes, SecureSession& session);
  // Nothing more of interest can follow: the caller may stop feeding and free its buffer.
  bool done() const { return done_; }

 private:
  void read_records(SecureSession& session);
  void read_messages(SecureSession& session);

  bool from_client_;
  bool done_ = false;
  std::vector<uint8_t> pending_;    // stream bytes from the first record not yet complete
  std::vector<uint8_t> handshake_;  // Handshake record bodies from the first message not yet complete
  size_t consumed_ = 0;             // stream bytes taken, at most kMaxHandshakeBytes
};

// One UDP datagram's payload as the output holds it: recognises DTLS
// (records with versions 0xfeff/0xfefd, ClientHello, ServerHello and
// Certificate read from unfragmented epoch-0 handshake messages) and QUIC
// (a long header's version; a short header alone cannot be recognised);
// fills `session` with what it shows. Returns false if it is neither.
// `record_counts`, if given, counts the DTLS records walked by content type
// 20..24 (as Connection::records does).
bool read_datagram(std::span<const uint8_t> payload, bool from_client, SecureSession& session,
                   std::array<uint64_t, 5>* record_counts = nullptr);

}  // namespace pktmask::report

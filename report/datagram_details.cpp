// read_datagram (report/tls_details.h): what one UDP datagram shows of a
// DTLS or QUIC session.

#include <cstddef>

#include "common/byte_reader.h"
#include "masker/dtls_walk.h"
#include "report/field_reader.h"
#include "report/handshake_messages.h"
#include "report/record_types.h"
#include "report/tls_details.h"

namespace pktmask::report {

namespace {

constexpr uint8_t kFirstContentType = kChangeCipherSpec;
constexpr uint8_t kLastCountedType = kHeartbeat;
constexpr uint8_t kLastContentType = 25;  // tls12_cid (RFC 9146)
constexpr size_t kDtlsRecordHeaderBytes = 13;
constexpr uint8_t kLongHeader = 0x80;
constexpr uint8_t kFixedBit = 0x40;
constexpr size_t kMaxConnectionIdBytes = 20;  // in QUIC v1 and v2 (RFC 9000 section 17.2)

// The handshake messages of one epoch-0 record: type, length(3),
// message_seq(2), fragment_offset(3), fragment<3>. Only a whole message
// (one fragment from offset 0) can be read.
void read_dtls_handshake(ByteReader body, bool from_client, SecureSession& session) {
  FieldReader messages(body);
  while (!messages.at_end()) {
    const uint8_t type = messages.u8();
    const uint32_t length = messages.be24();
    messages.be16();  // message_seq
    const uint32_t offset = messages.be24();
    const ByteReader fragment = messages.vector(3);
    if (messages.ok() && offset == 0 && fragment.size() == length) {
      read_handshake_message(type, fragment, HandshakeFraming::dtls, from_client, session);
    }
  }
}

// Walks the records as the masker's DTLS walk does (masker/dtls_walk.h): up
// to the first implausible header, a DTLS 1.3 unified header among them.
void read_dtls(ByteReader in, bool from_client, SecureSession& session, std::array<uint64_t, 5>* record_counts) {
  session.protocol = "DTLS";
  size_t pos = 0;
  while (in.has(pos, kDtlsRecordHeaderBytes)) {
    const uint8_t type = in.u8(pos);
    const uint16_t version = in.be16(pos + 1);
    const uint16_t epoch = in.be16(pos + 3);
    const uint16_t length = in.be16(pos + 11);
    if (type < kFirstContentType || type > kLastContentType || version >> 8 != 0xfe || length > kMaxRecordLength ||
        !in.has(pos + kDtlsRecordHeaderBytes, length)) {
      return;
    }
    if (record_counts != nullptr && type <= kLastCountedType) ++(*record_counts)[type - kFirstContentType];
    if (type == kHandshake && epoch == 0) {
      read_dtls_handshake(in.sub(pos + kDtlsRecordHeaderBytes, length), from_client, session);
    }
    pos += kDtlsRecordHeaderBytes + length;
  }
}

// A QUIC long header (RFC 8999 section 5.1, RFC 9000 section 17.2): first
// byte, version, DCID<1>, SCID<1>. Version 0 is a Version Negotiation
// packet (RFC 8999 section 6): its fixed bit is arbitrary and a list of
// 4-byte versions follows.
bool read_quic(ByteReader in, SecureSession& session) {
  FieldReader header(in);
  const uint8_t first = header.u8();
  const uint32_t version = header.be32();
  const ByteReader destination = header.vector(1);
  const ByteReader source = header.vector(1);
  if (!header.ok() || (first & kLongHeader) == 0) return false;
  if (version == 0) {
    const size_t versions_bytes = in.size() - header.position();
    if (versions_bytes == 0 || versions_bytes % 4 != 0) return false;
    session.protocol = "QUIC";
    return true;
  }
  if ((first & kFixedBit) == 0 || destination.size() > kMaxConnectionIdBytes || source.size() > kMaxConnectionIdBytes) {
    return false;
  }
  session.protocol = "QUIC";
  session.version = quic_version_name(version);
  return true;
}

}  // namespace

bool read_datagram(std::span<const uint8_t> payload, bool from_client, SecureSession& session,
                   std::array<uint64_t, 5>* record_counts) {
  if (starts_like_dtls(payload)) {
    read_dtls(ByteReader(payload), from_client, session, record_counts);
    return true;
  }
  return read_quic(ByteReader(payload), session);
}

}  // namespace pktmask::report

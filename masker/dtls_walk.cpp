#include "masker/dtls_walk.h"

#include "common/byte_reader.h"
#include "common/handshake_message.h"

namespace pktmask {

namespace {

constexpr size_t kRecordHeader = 13;   // type, version(2), epoch(2), sequence_number(6), length(2)
constexpr size_t kMessageHeader = 12;  // msg_type, length(3), message_seq(2), fragment_offset(3), fragment_length(3)
constexpr size_t kMaxRecordLength = 18432;  // 2^14 + 2048, as for TLS
constexpr uint8_t kChangeCipherSpec = 20;
constexpr uint8_t kHandshake = 22;
constexpr uint8_t kLastType = 25;  // ack (DTLS 1.3) and tls12_cid: bodies are zero
constexpr uint8_t kDtlsVersionMajor = 0xfe;

uint32_t be24(const ByteReader& in, size_t offset) { return uint32_t{in.u8(offset)} << 16 | in.be16(offset + 1); }

// The handshake messages (fragments) of one kept type-22 body at `base` in the
// datagram: each 12-byte message header is kept, its fragment as `detail`
// says. A fragment header cut short or a fragment overrunning the record ends
// the walk of this body.
void handshake_kept(HandshakeDetail detail, const ByteReader& body, size_t base, std::vector<ByteRange>& ranges) {
  size_t offset = 0;
  while (body.has(offset, kMessageHeader)) {
    const uint32_t fragment_offset = be24(body, offset + 6);
    const uint32_t fragment_length = be24(body, offset + 9);
    if (!body.has(offset + kMessageHeader, fragment_length)) return;
    append_range(ranges, base + offset, base + offset + kMessageHeader);
    handshake_body_kept({.type = body.u8(offset),
                         .bytes = body.bytes().subspan(offset + kMessageHeader, fragment_length),
                         .declared_length = fragment_length,
                         .offset = fragment_offset,
                         .base = base + offset + kMessageHeader,
                         .framing = HandshakeFraming::dtls},
                        detail, ranges);
    offset += kMessageHeader + fragment_length;
  }
}

}  // namespace

bool starts_like_dtls(std::span<const uint8_t> datagram) {
  const ByteReader in(datagram);
  const uint8_t type = in.u8(0);
  return in.has(0, 2) && type >= kChangeCipherSpec && type <= kLastType && in.u8(1) == kDtlsVersionMajor;
}

void dtls_kept(const PolicySettings& settings, std::span<const uint8_t> datagram, std::vector<ByteRange>& ranges) {
  const ByteReader in(datagram);
  size_t offset = 0;
  while (in.has(offset, kRecordHeader)) {
    // A DTLS 1.3 unified header (first byte 0b001xxxxx) is no plausible type: it ends the walk too.
    const uint8_t type = in.u8(offset);
    const uint16_t epoch = in.be16(offset + 3);
    const uint16_t length = in.be16(offset + 11);
    const size_t body = offset + kRecordHeader;
    if (type < kChangeCipherSpec || type > kLastType || in.u8(offset + 1) != kDtlsVersionMajor ||
        length > kMaxRecordLength || !in.has(body, length))
      return;
    append_range(ranges, offset, body);
    // Records of epoch > 0 are encrypted: kept whole like TLS records after
    // ChangeCipherSpec, except encrypted handshake bodies under `headers`.
    const bool encrypted = epoch != 0;
    const bool detailed = type == kHandshake && settings.handshake != HandshakeDetail::full;
    if (settings.tls.keeps(type)) {
      if (detailed && !encrypted)
        handshake_kept(settings.handshake, in.sub(body, length), body, ranges);
      else if (!detailed || settings.handshake == HandshakeDetail::anonymous)
        append_range(ranges, body, body + length);
    }
    offset = body + length;
  }
}

}  // namespace pktmask

#include "report/tls_details.h"

#include <algorithm>

#include "common/byte_reader.h"
#include "report/handshake_messages.h"
#include "report/record_types.h"

namespace pktmask::report {

namespace {

constexpr size_t kRecordHeaderBytes = 5;
constexpr size_t kMessageHeaderBytes = 4;
constexpr uint16_t kTls13 = 0x0304;

// A record header of TLS 1.0 to 1.3 (or SSL 3.0) in the clear: what follows
// a ChangeCipherSpec or in application data is encrypted, anything else is
// not TLS (or zeroed).
bool readable_record(uint8_t type, uint16_t version, uint16_t length) {
  return type > kChangeCipherSpec && type <= kHeartbeat && type != kApplicationData && version >> 8 == 0x03 &&
         length <= kMaxRecordLength;
}

void release(std::vector<uint8_t>& buffer) {
  buffer.clear();
  buffer.shrink_to_fit();
}

}  // namespace

void TlsDirectionReader::feed(std::span<const uint8_t> bytes, SecureSession& session) {
  if (done_) return;
  const std::span<const uint8_t> taken = bytes.first(std::min(bytes.size(), kMaxHandshakeBytes - consumed_));
  consumed_ += taken.size();
  pending_.insert(pending_.end(), taken.begin(), taken.end());
  read_records(session);
  if (consumed_ == kMaxHandshakeBytes) done_ = true;
  if (done_) {
    release(pending_);
    release(handshake_);
  }
}

void TlsDirectionReader::read_records(SecureSession& session) {
  const ByteReader in(pending_);
  size_t pos = 0;
  while (!done_ && in.has(pos, kRecordHeaderBytes)) {
    const uint8_t type = in.u8(pos);
    const uint16_t length = in.be16(pos + 3);
    if (!readable_record(type, in.be16(pos + 1), length)) {
      done_ = true;
      break;
    }
    if (!in.has(pos + kRecordHeaderBytes, length)) break;
    if (type == kHandshake) {
      const std::span<const uint8_t> body = in.sub(pos + kRecordHeaderBytes, length).bytes();
      handshake_.insert(handshake_.end(), body.begin(), body.end());
      read_messages(session);
    }
    pos += kRecordHeaderBytes + length;
  }
  pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(std::min(pos, pending_.size())));
}

void TlsDirectionReader::read_messages(SecureSession& session) {
  const ByteReader in(handshake_);
  size_t pos = 0;
  while (!done_ && in.has(pos, kMessageHeaderBytes)) {
    const uint8_t type = in.u8(pos);
    const size_t length = size_t{in.u8(pos + 1)} << 16 | in.be16(pos + 2);
    if (!in.has(pos + kMessageHeaderBytes, length)) {
      done_ = length > kMaxHandshakeBytes;  // it can never complete
      break;
    }
    const ByteReader body = in.sub(pos + kMessageHeaderBytes, length);
    if (read_handshake_message(type, body, HandshakeFraming::tls, from_client_, session) == kTls13) done_ = true;
    pos += kMessageHeaderBytes + length;
  }
  handshake_.erase(handshake_.begin(),
                   handshake_.begin() + static_cast<std::ptrdiff_t>(std::min(pos, handshake_.size())));
}

}  // namespace pktmask::report

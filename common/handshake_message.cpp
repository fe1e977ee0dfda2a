#include "common/handshake_message.h"

#include <algorithm>

#include "common/byte_reader.h"

namespace pktmask {

namespace {

constexpr uint8_t kClientHello = 1;
constexpr uint8_t kNewSessionTicket = 4;
constexpr uint8_t kCertificate = 11;
constexpr uint16_t kServerNameExtension = 0;
constexpr uint16_t kSessionTicketExtension = 35;
constexpr uint16_t kPreSharedKeyExtension = 41;

// Walks a ClientHello field by field, keeping runs of bytes whose meaning is
// known and leaving out the secrets. Containers end where their declared
// lengths say; a field that overruns its container, or that must be read or
// kept but was not captured whole, stops the walk, and everything from its
// first byte on stays out. A vector's length prefix is a field of its own:
// it is kept when its content is found to overrun.
class ClientHelloWalk {
 public:
  ClientHelloWalk(const HandshakeBody& body, std::vector<ByteRange>& ranges)
      : in_(body.bytes), base_(body.base), ranges_(ranges) {}

  void run(HandshakeFraming framing, size_t end) {
    if (!keep(2 + 32, end)) return finish();                                         // client_version, random
    if (!keep_vector(1, end)) return finish();                                       // session_id
    if (framing == HandshakeFraming::dtls && !keep_vector(1, end)) return finish();  // cookie
    if (!keep_vector(2, end) || !keep_vector(1, end)) return finish();  // cipher_suites, compression_methods
    if (pos_ == end) return finish();                                   // no extensions
    size_t extensions_end = 0;
    if (!open_vector(2, end, extensions_end)) return finish();
    while (pos_ < extensions_end && extension(extensions_end)) {
    }
    finish();
  }

 private:
  // One extension; false stops the walk.
  bool extension(size_t limit) {
    if (!fits(4, limit) || !captured(4)) return false;
    const uint16_t type = in_.be16(pos_);
    size_t data_end = 0;
    pos_ += 2;
    if (!open_vector(2, limit, data_end)) return false;
    switch (type) {
      case kServerNameExtension:
        return server_names(data_end);
      case kPreSharedKeyExtension:
        return psk_identities(data_end);
      case kSessionTicketExtension:
        return drop(data_end - pos_, data_end);
      default:
        return keep(data_end - pos_, data_end);
    }
  }

  // server_name_list: {name_type, host_name<2>}...; the names go.
  bool server_names(size_t limit) {
    size_t list_end = 0;
    if (!open_vector(2, limit, list_end)) return false;
    while (pos_ < list_end) {
      if (!keep(1, list_end)) return false;
      if (!drop_vector(2, list_end)) return false;
    }
    return pos_ == limit;
  }

  // identities<2> of {identity<2>, obfuscated_ticket_age(4)}, then binders<2> (kept).
  bool psk_identities(size_t limit) {
    size_t identities_end = 0;
    if (!open_vector(2, limit, identities_end)) return false;
    while (pos_ < identities_end) {
      if (!drop_vector(2, identities_end) || !keep(4, identities_end)) return false;
    }
    return keep_vector(2, limit) && pos_ == limit;
  }

  // Within the container that ends at `limit` (as declared, captured or not).
  bool fits(size_t count, size_t limit) const { return pos_ <= limit && count <= limit - pos_; }
  bool captured(size_t count) const { return in_.has(pos_, count); }

  // Reads a length prefix of `width` bytes and keeps it; `content_end` is where its content ends.
  bool open_vector(size_t width, size_t limit, size_t& content_end) {
    if (!fits(width, limit) || !captured(width)) return false;
    const size_t length = width == 1 ? in_.u8(pos_) : in_.be16(pos_);
    pos_ += width;
    if (!fits(length, limit)) return false;
    content_end = pos_ + length;
    return true;
  }
  bool keep_vector(size_t width, size_t limit) {
    size_t content_end = 0;
    if (!open_vector(width, limit, content_end)) return false;
    pos_ = content_end;
    return true;
  }
  bool drop_vector(size_t width, size_t limit) {
    size_t content_end = 0;
    if (!open_vector(width, limit, content_end)) return false;
    return drop(content_end - pos_, content_end);
  }

  bool keep(size_t count, size_t limit) {
    if (!fits(count, limit) || !captured(count)) return false;
    pos_ += count;
    return true;
  }
  // Bytes left out need not have been captured.
  bool drop(size_t count, size_t limit) {
    if (!fits(count, limit)) return false;
    append_range(ranges_, base_ + kept_from_, base_ + pos_);
    pos_ += count;
    kept_from_ = pos_;
    return true;
  }
  void finish() { append_range(ranges_, base_ + kept_from_, base_ + std::min(pos_, in_.size())); }

  ByteReader in_;
  size_t base_;
  std::vector<ByteRange>& ranges_;
  size_t pos_ = 0;
  size_t kept_from_ = 0;
};

// Keeps the bytes of the body before message offset `prefix` (the lengths
// that come before a secret), none after.
void keep_prefix(const HandshakeBody& body, size_t prefix, std::vector<ByteRange>& ranges) {
  if (body.offset >= prefix) return;
  append_range(ranges, body.base, body.base + std::min(body.bytes.size(), prefix - body.offset));
}

}  // namespace

void handshake_body_kept(const HandshakeBody& body, HandshakeDetail detail, std::vector<ByteRange>& ranges) {
  if (detail == HandshakeDetail::headers) return;
  if (detail == HandshakeDetail::full) return append_range(ranges, body.base, body.base + body.bytes.size());
  switch (body.type) {
    case kClientHello:
      if (body.offset == 0) ClientHelloWalk(body, ranges).run(body.framing, body.declared_length);
      return;
    case kCertificate:
      return keep_prefix(body, 3, ranges);
    case kNewSessionTicket:
      return keep_prefix(body, 4 + 2, ranges);
    default:
      return append_range(ranges, body.base, body.base + body.bytes.size());
  }
}

}  // namespace pktmask

#pragma once
// Reads a message field after field through a ByteReader: a cursor, with
// the length-prefixed vectors of the TLS presentation language (RFC 8446
// section 3.4). A read past the end or a vector longer than what is left
// latches ok() = false, so a parser reads a whole structure and checks once.

#include <cstddef>
#include <cstdint>

#include "common/byte_reader.h"

namespace pktmask::report {

class FieldReader {
 public:
  explicit FieldReader(ByteReader in) : in_(in) {}

  uint8_t u8() { return in_.u8(advance(1)); }
  uint16_t be16() { return in_.be16(advance(2)); }
  uint32_t be24() {
    const size_t at = advance(3);
    return uint32_t{in_.u8(at)} << 16 | in_.be16(at + 1);
  }
  uint32_t be32() { return in_.be32(advance(4)); }
  void skip(size_t count) {
    if (!in_.has(pos_, count)) ok_ = false;
    advance(count);
  }
  // A vector's content after its length prefix of `width` (1, 2 or 3) bytes.
  ByteReader vector(size_t width) {
    const size_t length = width == 1 ? u8() : width == 2 ? be16() : be24();
    if (!ok() || !in_.has(pos_, length)) {
      ok_ = false;
      return {};
    }
    const ByteReader content = in_.sub(pos_, length);
    advance(length);
    return content;
  }

  bool ok() const { return ok_ && in_.ok(); }
  // All bytes read (or a read failed).
  bool at_end() const { return !ok() || pos_ >= in_.size(); }
  size_t position() const { return pos_; }

 private:
  size_t advance(size_t count) {
    const size_t at = pos_;
    pos_ = in_.has(pos_, count) ? pos_ + count : in_.size() + 1;  // past the end: every later read fails
    return at;
  }

  ByteReader in_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace pktmask::report

#pragma once
// The one bounds-checked view through which every packet byte is read.
// Reads outside the view return 0 and latch a failure flag, so a layer parser
// reads its whole header and checks ok() once, instead of guarding each field.

#include <cstddef>
#include <cstdint>
#include <span>

namespace pktmask {

class ByteReader {
 public:
  ByteReader() = default;
  explicit ByteReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  size_t size() const { return bytes_.size(); }
  bool ok() const { return ok_; }
  bool has(size_t offset, size_t count) const { return offset <= bytes_.size() && count <= bytes_.size() - offset; }

  uint8_t u8(size_t offset) const {
    if (!has(offset, 1)) return fail();
    return bytes_[offset];
  }
  uint16_t be16(size_t offset) const {
    if (!has(offset, 2)) return fail();
    return static_cast<uint16_t>(bytes_[offset] << 8 | bytes_[offset + 1]);
  }
  uint32_t be32(size_t offset) const {
    if (!has(offset, 4)) return fail();
    return uint32_t{be16(offset)} << 16 | be16(offset + 2);
  }
  uint16_t le16(size_t offset) const {
    if (!has(offset, 2)) return fail();
    return static_cast<uint16_t>(bytes_[offset] | bytes_[offset + 1] << 8);
  }
  uint32_t le32(size_t offset) const {
    if (!has(offset, 4)) return fail();
    return uint32_t{le16(offset)} | uint32_t{le16(offset + 2)} << 16;
  }
  uint16_t u16(size_t offset, bool big_endian) const { return big_endian ? be16(offset) : le16(offset); }
  uint32_t u32(size_t offset, bool big_endian) const { return big_endian ? be32(offset) : le32(offset); }

  // Copies `count` bytes to `out`; on a short view copies nothing and fails.
  bool copy(size_t offset, size_t count, uint8_t* out) const;

  // The sub-view [offset, offset + count), cut to what is actually present.
  ByteReader sub(size_t offset, size_t count = SIZE_MAX) const;
  std::span<const uint8_t> bytes() const { return bytes_; }

 private:
  uint8_t fail() const {
    ok_ = false;
    return 0;
  }

  std::span<const uint8_t> bytes_;
  mutable bool ok_ = true;
};

}  // namespace pktmask

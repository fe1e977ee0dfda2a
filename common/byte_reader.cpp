#include "common/byte_reader.h"

#include <algorithm>
#include <cstring>

namespace pktmask {

bool ByteReader::copy(size_t offset, size_t count, uint8_t* out) const {
  if (!has(offset, count)) {
    fail();
    return false;
  }
  if (count != 0) std::memcpy(out, bytes_.data() + offset, count);
  return true;
}

ByteReader ByteReader::sub(size_t offset, size_t count) const {
  if (offset > bytes_.size()) return ByteReader{};
  return ByteReader{bytes_.subspan(offset, std::min(count, bytes_.size() - offset))};
}

}  // namespace pktmask

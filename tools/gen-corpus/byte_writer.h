#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace gen_corpus {

// Appends integers in one chosen byte order. Capture files come in both
// orders; network headers are always big-endian.
class byte_writer {
 public:
  explicit byte_writer(bool big_endian = true) : big_endian_(big_endian) {}

  void u8(uint8_t value) { data_.push_back(value); }
  void u16(uint16_t value) { put(value, 2); }
  void u32(uint32_t value) { put(value, 4); }
  void u64(uint64_t value) { put(value, 8); }
  void bytes(std::span<const uint8_t> value);
  void text(std::string_view value);
  void zeros(size_t count) { data_.insert(data_.end(), count, 0); }
  void pad_to_multiple_of(size_t unit);

  bool big_endian() const { return big_endian_; }
  size_t size() const { return data_.size(); }
  const std::vector<uint8_t>& data() const { return data_; }
  std::vector<uint8_t> take() { return std::move(data_); }

 private:
  void put(uint64_t value, int width);

  bool big_endian_;
  std::vector<uint8_t> data_;
};

}  // namespace gen_corpus

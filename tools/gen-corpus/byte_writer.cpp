#include "byte_writer.h"

namespace gen_corpus {

void byte_writer::bytes(std::span<const uint8_t> value) { data_.insert(data_.end(), value.begin(), value.end()); }

void byte_writer::text(std::string_view value) { data_.insert(data_.end(), value.begin(), value.end()); }

void byte_writer::pad_to_multiple_of(size_t unit) {
  while (data_.size() % unit != 0) {
    data_.push_back(0);
  }
}

void byte_writer::put(uint64_t value, int width) {
  for (int i = 0; i < width; ++i) {
    const int byte_index = big_endian_ ? width - 1 - i : i;
    data_.push_back(static_cast<uint8_t>(value >> (8 * byte_index)));
  }
}

}  // namespace gen_corpus

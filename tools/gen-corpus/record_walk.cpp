#include "record_walk.h"

namespace gen_corpus {

namespace {

constexpr size_t header_size = 5;
constexpr uint16_t max_plausible_length = 18432;  // 2^14 + 2048

bool plausible(uint8_t type, uint8_t version_major, uint16_t length) {
  return type >= 20 && type <= 24 && version_major == 3 && length <= max_plausible_length;
}

}  // namespace

void first_copy_view::add(uint64_t offset, std::span<const uint8_t> bytes) {
  for (size_t i = 0; i < bytes.size(); ++i) {
    bytes_.try_emplace(offset + i, bytes[i]);  // an earlier copy stays
  }
}

std::optional<uint8_t> first_copy_view::at(uint64_t offset) const {
  const auto it = bytes_.find(offset);
  if (it == bytes_.end()) {
    return std::nullopt;
  }
  return it->second;
}

std::vector<walked_record> walk_records(const first_copy_view& view, uint64_t start) {
  std::vector<walked_record> records;
  uint64_t position = start;
  for (;;) {
    uint8_t header[header_size];
    for (size_t i = 0; i < header_size; ++i) {
      const auto byte = view.at(position + i);
      if (!byte) {
        return records;  // header in a gap, or past the end of the capture
      }
      header[i] = *byte;
    }
    const uint16_t length = static_cast<uint16_t>(header[3] << 8 | header[4]);
    if (!plausible(header[0], header[1], length)) {
      return records;
    }
    records.push_back({position, header[0], length});
    position += header_size + length;
  }
}

bool partial_header_consistent(const first_copy_view& view, uint64_t position) {
  std::optional<uint8_t> b[header_size];
  size_t captured = 0;
  for (size_t i = 0; i < header_size; ++i) {
    b[i] = view.at(position + i);
    captured += b[i].has_value();
  }
  if (captured == 0 || captured == header_size) {
    return false;
  }
  if (b[0] && (*b[0] < 20 || *b[0] > 24)) {
    return false;
  }
  if (b[1] && *b[1] != 3) {
    return false;
  }
  if (b[3] && b[4]) {
    return (*b[3] << 8 | *b[4]) <= max_plausible_length;
  }
  return !b[3] || *b[3] <= (max_plausible_length >> 8);
}

bool keeps_body(uint8_t type) { return type == 20 || type == 21 || type == 22 || type == 24; }

}  // namespace gen_corpus

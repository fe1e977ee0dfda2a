#include "tls_stream.h"

#include <stdexcept>

namespace gen_corpus {

uint64_t tls_stream::add_record(uint8_t type, uint16_t version, std::span<const uint8_t> body) {
  if (body.size() > 0xffff) {
    throw std::invalid_argument("tls_stream: record body longer than 65535 bytes");
  }
  const uint64_t offset = add_header(type, version, static_cast<uint16_t>(body.size()));
  add_raw(body);
  return offset;
}

uint64_t tls_stream::add_header(uint8_t type, uint16_t version, uint16_t declared_length) {
  const uint64_t offset = bytes_.size();
  header_offsets_.push_back(offset);
  const uint8_t header[tls_header_size] = {
      type,
      static_cast<uint8_t>(version >> 8),
      static_cast<uint8_t>(version),
      static_cast<uint8_t>(declared_length >> 8),
      static_cast<uint8_t>(declared_length),
  };
  add_raw(header);
  return offset;
}

void tls_stream::add_raw(std::span<const uint8_t> bytes) { bytes_.insert(bytes_.end(), bytes.begin(), bytes.end()); }

}  // namespace gen_corpus

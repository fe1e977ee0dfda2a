#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace gen_corpus {

// TLS record content types (RFC 8446 section 5.1, RFC 6520).
namespace content_type {
inline constexpr uint8_t change_cipher_spec = 20;
inline constexpr uint8_t alert = 21;
inline constexpr uint8_t handshake = 22;
inline constexpr uint8_t application_data = 23;
inline constexpr uint8_t heartbeat = 24;
}  // namespace content_type

inline constexpr uint16_t tls10 = 0x0301;
inline constexpr uint16_t tls12 = 0x0303;
inline constexpr size_t tls_header_size = 5;

// The byte string one direction of a TCP connection carries, built from
// records the case chooses, and where the case planted record headers.
// The planted offsets let the generator check that the oracle's walk only
// ever lands on a header it meant to be there.
class tls_stream {
 public:
  // Appends a record whose header gives the true body length.
  uint64_t add_record(uint8_t type, uint16_t version, std::span<const uint8_t> body);
  // Appends only a header; whatever follows is up to the case. For
  // headers that lie (implausible length, version or type).
  uint64_t add_header(uint8_t type, uint16_t version, uint16_t declared_length);
  // Appends bytes that are not meant to be a record header.
  void add_raw(std::span<const uint8_t> bytes);

  const std::vector<uint8_t>& bytes() const { return bytes_; }
  const std::vector<uint64_t>& header_offsets() const { return header_offsets_; }
  size_t size() const { return bytes_.size(); }

 private:
  std::vector<uint8_t> bytes_;
  std::vector<uint64_t> header_offsets_;
};

}  // namespace gen_corpus

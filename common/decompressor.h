#pragma once
// Undoes gzip or zstd compression of an input, recognised by its magic
// bytes (not its name), as tshark does: `tcpdump -z gzip` rotations and
// `pktmask capture --compress` segments read like plain captures.

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace pktmask {

class Decompressor {
 public:
  struct Step {
    size_t consumed = 0;  // compressed bytes taken from `in`
    size_t produced = 0;  // bytes written to `out`
  };
  virtual ~Decompressor() = default;
  // Decompresses what it can of `in` into `out`; an empty `in` flushes what
  // the decoder still holds. Throws Error(bad_capture) naming the input and
  // the compressed offset when the data is corrupt.
  virtual Step run(std::span<const uint8_t> in, std::span<uint8_t> out) = 0;
  // Whether the compressed stream so far ends with a complete gzip member or
  // zstd frame; false at end of input means the stream was cut short.
  virtual bool at_end() const = 0;
};

constexpr size_t kCompressionMagicBytes = 4;

// A decompressor for `head` (the input's first bytes), or nullptr when they
// are not a gzip or zstd magic number. `name` is the input, for messages.
std::unique_ptr<Decompressor> make_decompressor(std::span<const uint8_t> head, const std::string& name);

}  // namespace pktmask

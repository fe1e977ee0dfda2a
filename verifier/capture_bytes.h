#pragma once
// Random access to the original capture's bytes by file offset. The walk
// holds out-of-order segments as file offsets instead of copies, so memory
// stays small however long a gap waits to be filled; the bytes of the
// packet being walked are served from memory without a system call.

#include <cstdint>
#include <span>
#include <string>

#include "common/capture_input.h"

namespace pktmask::verify {

class CaptureBytes {
 public:
  // Throws Error(bad_capture) when the file cannot be opened. A compressed
  // capture is decompressed into a private scratch file first; offsets count
  // decompressed bytes, as InputStream's do. Uncompressed bytes in memory
  // are read where they are.
  explicit CaptureBytes(const CaptureInput& input);
  ~CaptureBytes();
  CaptureBytes(const CaptureBytes&) = delete;
  CaptureBytes& operator=(const CaptureBytes&) = delete;

  // The bytes at [file_offset, file_offset + bytes.size()) are in memory.
  void set_window(uint64_t file_offset, std::span<const uint8_t> bytes) {
    window_offset_ = file_offset;
    window_ = bytes;
  }
  // Copies `count` bytes at `file_offset`; throws Error(bad_capture) if the
  // file no longer holds them (it changed while being verified).
  void read(uint64_t file_offset, size_t count, uint8_t* out) const;

 private:
  [[noreturn]] void unreadable(uint64_t file_offset) const;

  std::string name_;
  int fd_ = -1;
  std::span<const uint8_t> memory_;
  uint64_t window_offset_ = 0;
  std::span<const uint8_t> window_;
};

}  // namespace pktmask::verify

#pragma once
// Writes the raw segments: private (mode 0600) files in the raw directory,
// each starting with the source's preamble so it is a capture on its own.

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace pktmask {

struct RawSegment {
  uint64_t index = 0;
  std::string path;
  int64_t first_time_us = 0;  // of its first packet
  int64_t last_time_us = 0;   // of its last packet
  uint64_t packets = 0;
  uint64_t bytes = 0;  // file size
};

// Where raw segment `index` (1-based) is written.
std::string raw_segment_path(const std::string& raw_dir, uint64_t index, const std::string& extension);

class SegmentWriter {
 public:
  SegmentWriter(std::string raw_dir, std::string extension);
  ~SegmentWriter();
  SegmentWriter(const SegmentWriter&) = delete;
  SegmentWriter& operator=(const SegmentWriter&) = delete;

  bool is_open() const { return fd_ >= 0; }
  const RawSegment& current() const { return current_; }
  // Throw Error(raw_write_failed) naming the file.
  void open(uint64_t index, std::span<const uint8_t> preamble);
  void write(std::span<const uint8_t> bytes);
  void count_packet(int64_t time_us);
  RawSegment close();
  // Closes and removes the current segment (a failed or cancelled capture).
  void discard();

 private:
  void flush();
  [[noreturn]] void fail(const char* what, int error);

  std::string raw_dir_;
  std::string extension_;
  int fd_ = -1;
  RawSegment current_;
  std::vector<uint8_t> buffer_;
};

}  // namespace pktmask

#pragma once
// Buffered, forward-only reading of a file, stdin or bytes in memory. Bytes handed out stay
// valid (and writable, so the masker can edit packets in place) until the
// next call to ensure(). gzip and zstd input is decompressed on the way
// (recognised by its magic bytes); offsets then count decompressed bytes.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/capture_input.h"
#include "common/decompressor.h"

namespace pktmask {

class InputStream {
 public:
  // A path of "-" means standard input. Throws Error(bad_capture) when it cannot open.
  explicit InputStream(const CaptureInput& input);
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  const std::string& name() const { return name_; }
  // Makes up to `count` bytes available at data(); returns how many are (less only at EOF).
  size_t ensure(size_t count);
  uint8_t* data() { return buffer_.data() + begin_; }
  void consume(size_t count);
  uint64_t offset() const { return consumed_; }
  // Size of the capture's bytes when known before reading: a regular,
  // uncompressed file, or uncompressed bytes in memory.
  std::optional<uint64_t> file_size() const { return compressed() ? std::nullopt : file_size_; }
  // For progress: the size of the file on disk and how much of it has been
  // used (for a compressed file, compressed bytes).
  std::optional<uint64_t> source_size() const { return file_size_; }
  uint64_t source_offset() const { return compressed() ? raw_read_ : consumed_; }
  // Bytes of the (decompressed) capture read so far: at end of input its
  // whole length, a torn last record included.
  uint64_t bytes_seen() const { return read_total_; }
  bool compressed() const { return decompressor_ != nullptr; }
  // At end of input: the compressed stream ended inside a gzip member or a
  // zstd frame (the file was cut short).
  bool cut_short() const { return cut_short_; }
  // For a pipe that may stall: while no data arrives, `keep_waiting` is asked
  // every 200 ms whether to go on; when it says no, the stream ends there.
  void set_stall_check(std::function<bool()> keep_waiting) { stall_check_ = std::move(keep_waiting); }
  bool stopped() const { return stopped_; }
  // FNV-1a of the first kHeadBytes bytes that passed through (or all, if fewer).
  uint64_t head_hash() const { return head_hash_; }
  static constexpr size_t kHeadBytes = 1 << 20;

 private:
  void fill(size_t wanted);
  void detect_compression();
  size_t read_some(uint8_t* to, size_t room);
  size_t read_raw(uint8_t* to, size_t room);
  size_t decompress_some(uint8_t* to, size_t room);
  bool data_arrives();

  std::string name_;
  int fd_ = -1;
  bool owns_fd_ = false;
  std::optional<std::span<const uint8_t>> memory_;  // the input, when it is in memory
  bool eof_ = false;
  bool stopped_ = false;
  std::function<bool()> stall_check_;
  std::vector<uint8_t> buffer_;
  size_t begin_ = 0;
  size_t end_ = 0;
  uint64_t consumed_ = 0;
  uint64_t read_total_ = 0;
  uint64_t head_hash_;
  std::optional<uint64_t> file_size_;
  // Raw bytes read from fd_ but not yet used: the magic-number probe, then
  // (compressed input) the decompressor's input.
  bool detected_ = false;
  std::unique_ptr<Decompressor> decompressor_;
  std::vector<uint8_t> raw_;
  size_t raw_begin_ = 0;
  size_t raw_end_ = 0;
  bool raw_eof_ = false;
  uint64_t raw_read_ = 0;
  bool cut_short_ = false;
};

}  // namespace pktmask

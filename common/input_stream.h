#pragma once
// Buffered, forward-only reading of a file or stdin. Bytes handed out stay
// valid (and writable, so the masker can edit packets in place) until the
// next call to ensure().

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace pktmask {

class InputStream {
 public:
  // "-" means standard input. `name` is how messages name the input (a
  // spool's origin); empty: the path. Throws Error(bad_capture) when it cannot open.
  explicit InputStream(const std::string& path, const std::string& name = "");
  ~InputStream();
  InputStream(const InputStream&) = delete;
  InputStream& operator=(const InputStream&) = delete;

  const std::string& name() const { return name_; }
  // Makes up to `count` bytes available at data(); returns how many are (less only at EOF).
  size_t ensure(size_t count);
  uint8_t* data() { return buffer_.data() + begin_; }
  void consume(size_t count);
  uint64_t offset() const { return consumed_; }
  // Size of a regular file, when the input is one.
  std::optional<uint64_t> file_size() const { return file_size_; }
  // For a pipe that may stall: while no data arrives, `keep_waiting` is asked
  // every 200 ms whether to go on; when it says no, the stream ends there.
  void set_stall_check(std::function<bool()> keep_waiting) { stall_check_ = std::move(keep_waiting); }
  bool stopped() const { return stopped_; }
  // FNV-1a of the first kHeadBytes bytes that passed through (or all, if fewer).
  uint64_t head_hash() const { return head_hash_; }
  static constexpr size_t kHeadBytes = 1 << 20;

 private:
  void fill(size_t wanted);
  bool data_arrives();

  std::string name_;
  int fd_ = -1;
  bool owns_fd_ = false;
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
};

}  // namespace pktmask

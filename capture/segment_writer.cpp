#include "capture/segment_writer.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask {

namespace {
constexpr size_t kBufferBytes = 1 << 20;
}

std::string raw_segment_path(const std::string& raw_dir, uint64_t index, const std::string& extension) {
  return fmt::format("{}/raw-{:06}.{}", raw_dir, index, extension);
}

SegmentWriter::SegmentWriter(std::string raw_dir, std::string extension)
    : raw_dir_(std::move(raw_dir)), extension_(std::move(extension)) {
  buffer_.reserve(kBufferBytes);
}

SegmentWriter::~SegmentWriter() {
  if (is_open()) discard();
}

void SegmentWriter::open(uint64_t index, std::span<const uint8_t> preamble) {
  current_ = RawSegment{index, raw_segment_path(raw_dir_, index, extension_), 0, 0, 0};
  fd_ = ::open(current_.path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd_ < 0) fail("cannot create raw segment", errno);
  write(preamble);
}

void SegmentWriter::write(std::span<const uint8_t> bytes) {
  if (buffer_.size() + bytes.size() > kBufferBytes) flush();
  if (bytes.size() > kBufferBytes) {
    buffer_.assign(bytes.begin(), bytes.end());
    flush();
  } else {
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
  }
  current_.bytes += bytes.size();
}

void SegmentWriter::count_packet(int64_t time_us) {
  if (current_.packets++ == 0) current_.first_time_us = time_us;
  current_.last_time_us = time_us;
}

RawSegment SegmentWriter::close() {
  flush();
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) {
    int error = errno;
    ::unlink(current_.path.c_str());
    fail("cannot write raw segment", error);
  }
  return current_;
}

void SegmentWriter::discard() {
  buffer_.clear();
  ::close(fd_);
  fd_ = -1;
  ::unlink(current_.path.c_str());
}

void SegmentWriter::flush() {
  size_t done = 0;
  while (done < buffer_.size()) {
    ssize_t n = ::write(fd_, buffer_.data() + done, buffer_.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) fail("cannot write raw segment", errno);
    done += static_cast<size_t>(n);
  }
  buffer_.clear();
}

void SegmentWriter::fail(const char* what, int error) {
  std::string message = fmt::format("{}: {}: {}", current_.path, what, std::strerror(error));
  if (fd_ >= 0) discard();
  throw Error(ExitCode::run_disk_full, message);
}

}  // namespace pktmask

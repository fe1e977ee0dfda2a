#include "common/input_stream.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/fingerprint.h"
#include "common/interrupt.h"

namespace pktmask {

namespace {
constexpr size_t kChunk = 4 << 20;
constexpr size_t kRawChunk = 1 << 20;  // compressed input read at a time
}  // namespace

InputStream::InputStream(const CaptureInput& input)
    : name_(!input.name.empty() ? input.name
            : input.path == "-" ? "<stdin>"
                                : input.path),
      memory_(input.memory),
      head_hash_(kFnvOffset) {
  buffer_.resize(kChunk);
  if (memory_) {
    file_size_ = memory_->size();
    detect_compression();
    return;
  }
  const std::string& path = input.path;
  if (path == "-") {
    fd_ = STDIN_FILENO;
  } else {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error(ExitCode::bad_capture, fmt::format("{}: cannot open: {}", name_, std::strerror(errno)));
    owns_fd_ = true;
  }
  struct stat st {};
  if (::fstat(fd_, &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw Error(ExitCode::bad_capture, fmt::format("{}: is a directory", name_));
    if (S_ISREG(st.st_mode)) file_size_ = static_cast<uint64_t>(st.st_size);
  }
  if (owns_fd_) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  // A file is probed now, so file_size() is right before the first read; a
  // pipe on its first read (it may not have sent anything yet).
  if (file_size_) detect_compression();
}

InputStream::~InputStream() {
  if (owns_fd_) ::close(fd_);
}

size_t InputStream::ensure(size_t count) {
  if (end_ - begin_ < count && !eof_) fill(count);
  return std::min(count, end_ - begin_);
}

void InputStream::consume(size_t count) {
  begin_ += count;
  consumed_ += count;
}

bool InputStream::data_arrives() {
  pollfd ready{fd_, POLLIN, 0};
  while (::poll(&ready, 1, 200) == 0)
    if (!stall_check_()) return false;
  return true;
}

void InputStream::fill(size_t wanted) {
  if (begin_ > 0) {
    std::memmove(buffer_.data(), buffer_.data() + begin_, end_ - begin_);
    end_ -= begin_;
    begin_ = 0;
  }
  if (buffer_.size() < wanted) buffer_.resize(std::max(wanted, buffer_.size() * 2));
  while (end_ < wanted && !eof_) {
    size_t got = read_some(buffer_.data() + end_, buffer_.size() - end_);
    if (got == 0) {
      eof_ = true;
      break;
    }
    if (read_total_ < kHeadBytes) {
      size_t head = std::min<uint64_t>(got, kHeadBytes - read_total_);
      head_hash_ = fnv1a(head_hash_, {buffer_.data() + end_, head});
    }
    end_ += got;
    read_total_ += got;
  }
}

void InputStream::detect_compression() {
  detected_ = true;
  raw_.resize(kRawChunk);
  while (raw_end_ < kCompressionMagicBytes && !raw_eof_) {
    size_t got = read_raw(raw_.data() + raw_end_, raw_.size() - raw_end_);
    raw_end_ += got;
    raw_eof_ = got == 0;
  }
  decompressor_ = make_decompressor({raw_.data(), raw_end_}, name_);
}

// The capture's next bytes, decompressed if need be; 0 at end of input.
size_t InputStream::read_some(uint8_t* to, size_t room) {
  if (!detected_) detect_compression();
  if (decompressor_) return decompress_some(to, room);
  if (raw_begin_ < raw_end_) {  // the probe's bytes come first
    size_t count = std::min(room, raw_end_ - raw_begin_);
    std::memcpy(to, raw_.data() + raw_begin_, count);
    raw_begin_ += count;
    return count;
  }
  return raw_eof_ ? 0 : read_raw(to, room);
}

size_t InputStream::decompress_some(uint8_t* to, size_t room) {
  for (;;) {
    if (raw_begin_ == raw_end_ && !raw_eof_) {
      raw_begin_ = 0;
      raw_end_ = read_raw(raw_.data(), raw_.size());
      raw_eof_ = raw_end_ == 0;
    }
    std::span<const uint8_t> in{raw_.data() + raw_begin_, raw_end_ - raw_begin_};
    Decompressor::Step step = decompressor_->run(in, {to, room});
    raw_begin_ += step.consumed;
    if (step.produced > 0) return step.produced;
    if (raw_eof_ && raw_begin_ == raw_end_) {
      cut_short_ = !decompressor_->at_end() && !stopped_;
      return 0;
    }
    if (step.consumed == 0 && !in.empty())
      throw Error(ExitCode::bad_capture, fmt::format("{}: corrupt compressed data after {} compressed bytes", name_,
                                                     raw_read_ - (raw_end_ - raw_begin_)));
  }
}

// Bytes straight from the file or pipe; 0 at its end, or when a stall check
// ended the wait.
size_t InputStream::read_raw(uint8_t* to, size_t room) {
  if (memory_) {
    size_t count = std::min<uint64_t>(room, memory_->size() - raw_read_);
    std::memcpy(to, memory_->data() + raw_read_, count);
    raw_read_ += count;
    return count;
  }
  for (;;) {
    if (stall_check_ && !data_arrives()) {
      stopped_ = true;
      return 0;
    }
    ssize_t got = ::read(fd_, to, room);
    if (got >= 0) {
      raw_read_ += static_cast<uint64_t>(got);
      return static_cast<size_t>(got);
    }
    if (errno != EINTR)
      throw Error(ExitCode::bad_capture,
                  fmt::format("{}: read error at offset {}: {}", name_, raw_read_, std::strerror(errno)));
    throw_if_interrupted();
  }
}

}  // namespace pktmask

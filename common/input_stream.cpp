#include "input_stream.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "errors.h"
#include "fingerprint.h"
#include "interrupt.h"

namespace pktmask {

namespace {
constexpr size_t kChunk = 4 << 20;
}

InputStream::InputStream(const std::string& path, const std::string& name)
    : name_(!name.empty() ? name : path == "-" ? "<stdin>" : path), head_hash_(kFnvOffset) {
  if (path == "-") {
    fd_ = STDIN_FILENO;
  } else {
    fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0) throw Error(ExitCode::bad_capture, fmt::format("{}: cannot open: {}", name_, std::strerror(errno)));
    owns_fd_ = true;
  }
  struct stat st{};
  if (::fstat(fd_, &st) == 0) {
    if (S_ISDIR(st.st_mode)) throw Error(ExitCode::bad_capture, fmt::format("{}: is a directory", name_));
    if (S_ISREG(st.st_mode)) file_size_ = static_cast<uint64_t>(st.st_size);
  }
  if (owns_fd_) ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
  buffer_.resize(kChunk);
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
    if (stall_check_ && !data_arrives()) {
      eof_ = stopped_ = true;
      break;
    }
    ssize_t got = ::read(fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (got < 0) {
      if (errno == EINTR) {
        throw_if_interrupted();
        continue;
      }
      throw Error(ExitCode::bad_capture, fmt::format("{}: read error at offset {}: {}", name_, read_total_, std::strerror(errno)));
    }
    if (got == 0) {
      eof_ = true;
      break;
    }
    if (read_total_ < kHeadBytes) {
      size_t head = std::min<uint64_t>(static_cast<size_t>(got), kHeadBytes - read_total_);
      head_hash_ = fnv1a(head_hash_, {buffer_.data() + end_, head});
    }
    end_ += static_cast<size_t>(got);
    read_total_ += static_cast<uint64_t>(got);
  }
}

}  // namespace pktmask

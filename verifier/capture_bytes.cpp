#include "verifier/capture_bytes.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/decompressor.h"
#include "common/errors.h"
#include "common/input_stream.h"
#include "common/unnamed_file.h"

namespace pktmask::verify {

namespace {

// A compressed capture has no random access: its decompressed bytes go to a
// private scratch file once, and offsets are served from that.
int decompressed_copy(const CaptureInput& input) {
  InputStream in(input);
  return copy_to_unnamed_file(in, false);
}

bool compressed(std::span<const uint8_t> head, const std::string& name) {
  return make_decompressor(head.first(std::min(head.size(), kCompressionMagicBytes)), name) != nullptr;
}

}  // namespace

CaptureBytes::CaptureBytes(const CaptureInput& input) : name_(input.shown()) {
  if (input.memory) {
    if (compressed(*input.memory, name_))
      fd_ = decompressed_copy(input);
    else
      memory_ = *input.memory;
    return;
  }
  fd_ = ::open(input.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd_ < 0) throw Error(ExitCode::bad_capture, fmt::format("{}: cannot open: {}", name_, std::strerror(errno)));
  uint8_t head[kCompressionMagicBytes] = {};
  ssize_t got = ::pread(fd_, head, sizeof head, 0);
  if (got > 0 && compressed({head, static_cast<size_t>(got)}, name_)) {
    ::close(fd_);
    fd_ = -1;
    fd_ = decompressed_copy(input);
  }
}

CaptureBytes::~CaptureBytes() {
  if (fd_ >= 0) ::close(fd_);
}

void CaptureBytes::unreadable(uint64_t file_offset) const {
  throw Error(ExitCode::bad_capture,
              fmt::format("{}: offset {}: cannot read it again (did the file change?)", name_, file_offset));
}

void CaptureBytes::read(uint64_t file_offset, size_t count, uint8_t* out) const {
  if (file_offset >= window_offset_ && file_offset - window_offset_ <= window_.size() &&
      count <= window_.size() - (file_offset - window_offset_)) {
    std::memcpy(out, window_.data() + (file_offset - window_offset_), count);
    return;
  }
  if (fd_ < 0) {
    if (file_offset > memory_.size() || count > memory_.size() - file_offset) unreadable(file_offset);
    std::memcpy(out, memory_.data() + file_offset, count);
    return;
  }
  while (count > 0) {
    ssize_t got = ::pread(fd_, out, count, static_cast<off_t>(file_offset));
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) unreadable(file_offset);
    out += got;
    count -= static_cast<size_t>(got);
    file_offset += static_cast<uint64_t>(got);
  }
}

}  // namespace pktmask::verify

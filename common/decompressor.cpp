#include "common/decompressor.h"

#include <zlib.h>
#include <zstd.h>

#include <algorithm>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask {

namespace {

// zlib counts in 32-bit units; one call never hands it more than this.
constexpr size_t kMaxCall = 1u << 30;

class GzipDecompressor : public Decompressor {
 public:
  explicit GzipDecompressor(const std::string& name) : name_(name) {
    // windowBits 15 + 16: gzip wrapper only (the magic said gzip).
    if (inflateInit2(&z_, 15 + 16) != Z_OK) fail("cannot initialise zlib");
  }
  ~GzipDecompressor() override { inflateEnd(&z_); }

  Step run(std::span<const uint8_t> in, std::span<uint8_t> out) override {
    if (member_done_ && !in.empty()) {  // concatenated members, as `gzip -d` reads them
      inflateReset(&z_);
      member_done_ = false;
    }
    if (member_done_) return {};
    z_.next_in = const_cast<Bytef*>(in.data());
    z_.avail_in = static_cast<uInt>(std::min(in.size(), kMaxCall));
    z_.next_out = out.data();
    z_.avail_out = static_cast<uInt>(std::min(out.size(), kMaxCall));
    uInt in_before = z_.avail_in, out_before = z_.avail_out;
    int rc = inflate(&z_, Z_NO_FLUSH);
    Step step{in_before - z_.avail_in, out_before - z_.avail_out};
    consumed_ += step.consumed;
    if (rc == Z_STREAM_END)
      member_done_ = true;
    else if (rc != Z_OK && rc != Z_BUF_ERROR)
      fail(z_.msg != nullptr ? z_.msg : "corrupt data");
    return step;
  }

  bool at_end() const override { return member_done_; }

 private:
  [[noreturn]] void fail(const char* what) const {
    throw Error(ExitCode::bad_capture,
                fmt::format("{}: corrupt gzip data at compressed byte {}: {}", name_, consumed_, what));
  }

  std::string name_;
  z_stream z_{};
  uint64_t consumed_ = 0;
  bool member_done_ = false;
};

class ZstdDecompressor : public Decompressor {
 public:
  explicit ZstdDecompressor(const std::string& name) : name_(name), stream_(ZSTD_createDStream()) {
    if (stream_ == nullptr) throw Error(ExitCode::internal, fmt::format("{}: cannot allocate a zstd context", name_));
  }
  ~ZstdDecompressor() override { ZSTD_freeDStream(stream_); }

  Step run(std::span<const uint8_t> in, std::span<uint8_t> out) override {
    ZSTD_inBuffer source{in.data(), in.size(), 0};
    ZSTD_outBuffer sink{out.data(), out.size(), 0};
    size_t rc = ZSTD_decompressStream(stream_, &sink, &source);
    if (ZSTD_isError(rc))
      throw Error(ExitCode::bad_capture, fmt::format("{}: corrupt zstd data at compressed byte {}: {}", name_,
                                                     consumed_ + source.pos, ZSTD_getErrorName(rc)));
    consumed_ += source.pos;
    // 0: a frame is complete and flushed; anything else: more is expected.
    // A call that moved nothing (a flush at the end) leaves the verdict as it was.
    if (source.pos > 0 || sink.pos > 0) frame_done_ = rc == 0;
    return {source.pos, sink.pos};
  }

  bool at_end() const override { return frame_done_; }

 private:
  std::string name_;
  ZSTD_DStream* stream_;
  uint64_t consumed_ = 0;
  bool frame_done_ = false;
};

}  // namespace

std::unique_ptr<Decompressor> make_decompressor(std::span<const uint8_t> head, const std::string& name) {
  if (head.size() >= 2 && head[0] == 0x1f && head[1] == 0x8b) return std::make_unique<GzipDecompressor>(name);
  if (head.size() >= 4 && head[0] == 0x28 && head[1] == 0xb5 && head[2] == 0x2f && head[3] == 0xfd)
    return std::make_unique<ZstdDecompressor>(name);
  return nullptr;
}

}  // namespace pktmask

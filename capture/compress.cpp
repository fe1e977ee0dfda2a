#include "capture/compress.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "capture/archive.h"
#include "common/errors.h"

namespace pktmask {

namespace {

// Memory stays at two chunks plus the compressor's state, whatever the file size.
constexpr size_t kChunk = 256 * 1024;

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

// Removed on destruction unless cleared; a member, so a throwing Job
// constructor cleans up too.
struct TempName {
  std::string path;
  ~TempName() {
    if (!path.empty()) ::unlink(path.c_str());
  }
};

// One compress_file call: the source, the temporary beside the target, and
// the error messages, which all name the source.
class Job {
 public:
  Job(const std::string& path, const std::string& target) : path_(path), target_(target) {
    in_.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (in_.fd < 0 || ::fstat(in_.fd, &source_) != 0) fail_errno("cannot read", errno);
    std::filesystem::path target_path(target);
    std::filesystem::path dir = target_path.has_parent_path() ? target_path.parent_path() : ".";
    dir_ = dir.string();
    std::string temp_name = ".";  // built in steps, as in output_file.cpp (GCC 12 -Wrestrict)
    temp_name += target_path.filename().string();
    temp_name += ".pktmask-XXXXXX";
    std::string temp = (dir / temp_name).string();
    out_.fd = ::mkostemp(temp.data(), O_CLOEXEC);
    if (out_.fd < 0) fail_errno("cannot create compressed file", errno);
    temp_.path = temp;
    if (::fchmod(out_.fd, source_.st_mode & 07777) != 0) fail_errno("cannot create compressed file", errno);
  }

  Job(const Job&) = delete;
  Job& operator=(const Job&) = delete;

  // Fills `buffer` as far as one read goes; 0 only at the end of the file.
  size_t read(std::vector<uint8_t>& buffer) {
    while (true) {
      ssize_t n = ::read(in_.fd, buffer.data(), buffer.size());
      if (n >= 0) return static_cast<size_t>(n);
      if (errno != EINTR) fail_errno("cannot read", errno);
    }
  }

  void write(const uint8_t* data, size_t size) {
    while (size > 0) {
      ssize_t n = ::write(out_.fd, data, size);
      if (n < 0) {
        if (errno == EINTR) continue;
        fail_errno("cannot write compressed file", errno);
      }
      data += n;
      size -= static_cast<size_t>(n);
    }
  }

  // The copy is durable under its final name before the source goes.
  void commit() {
    const struct timespec times[2] = {source_.st_atim, source_.st_mtim};
    if (::futimens(out_.fd, times) != 0) fail_errno("cannot write compressed file", errno);
    if (::fsync(out_.fd) != 0) fail_errno("cannot write compressed file", errno);
    int fd = out_.fd;
    out_.fd = -1;
    if (::close(fd) != 0) fail_errno("cannot write compressed file", errno);
    if (::rename(temp_.path.c_str(), target_.c_str()) != 0)
      fail_errno("cannot rename compressed file into place", errno);
    temp_.path.clear();
    sync_dir();
    if (::unlink(path_.c_str()) != 0) fail_errno("cannot remove after compressing", errno);
  }

  [[noreturn]] void fail(const std::string& what, const std::string& reason) const {
    throw Error(ExitCode::output_failed, fmt::format("{}: {}: {}", path_, what, reason));
  }

 private:
  [[noreturn]] void fail_errno(const char* what, int error) const { fail(what, std::strerror(error)); }

  // Best effort: some file systems refuse fsync on a directory, and the
  // rename has already happened, so there is nothing to roll back.
  void sync_dir() const {
    Fd dir;
    dir.fd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir.fd >= 0) ::fsync(dir.fd);
  }

  std::string path_, target_, dir_;
  struct stat source_ {};
  Fd in_;
  TempName temp_;  // declared before out_, so the file is closed before it is unlinked
  Fd out_;
};

struct DeflateEnd {
  void operator()(z_stream* z) const { ::deflateEnd(z); }
};

void gzip_stream(Job& job, int level) {
  z_stream z{};
  // windowBits 15 + 16 selects the gzip wrapper, so `gzip -d` reads the result.
  if (::deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
    job.fail("gzip failed", z.msg != nullptr ? z.msg : "cannot initialise");
  std::unique_ptr<z_stream, DeflateEnd> end(&z);
  std::vector<uint8_t> in(kChunk), out(kChunk);
  int flush = Z_NO_FLUSH;
  int rc = Z_OK;
  while (flush != Z_FINISH) {
    size_t n = job.read(in);
    flush = n == 0 ? Z_FINISH : Z_NO_FLUSH;
    z.next_in = in.data();
    z.avail_in = static_cast<uInt>(n);
    do {  // until deflate leaves room in `out`, i.e. has taken all input
      z.next_out = out.data();
      z.avail_out = static_cast<uInt>(out.size());
      rc = ::deflate(&z, flush);
      if (rc == Z_STREAM_ERROR) job.fail("gzip failed", z.msg != nullptr ? z.msg : "stream error");
      job.write(out.data(), out.size() - z.avail_out);
    } while (z.avail_out == 0);
  }
  if (rc != Z_STREAM_END) job.fail("gzip failed", "stream did not end");
}

struct ZstdFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};

void zstd_check(Job& job, size_t rc) {
  if (ZSTD_isError(rc)) job.fail("zstd failed", ZSTD_getErrorName(rc));
}

void zstd_stream(Job& job, int level) {
  std::unique_ptr<ZSTD_CCtx, ZstdFree> cctx(ZSTD_createCCtx());
  if (!cctx) job.fail("zstd failed", "cannot allocate a context");
  zstd_check(job, ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_compressionLevel, level));
  zstd_check(job, ZSTD_CCtx_setParameter(cctx.get(), ZSTD_c_checksumFlag, 1));  // as the zstd tool does
  std::vector<uint8_t> in(kChunk), out(kChunk);
  bool last = false;
  while (!last) {
    size_t n = job.read(in);
    last = n == 0;
    ZSTD_inBuffer input{in.data(), n, 0};
    bool done = false;
    while (!done) {
      ZSTD_outBuffer output{out.data(), out.size(), 0};
      size_t left = ZSTD_compressStream2(cctx.get(), &output, &input, last ? ZSTD_e_end : ZSTD_e_continue);
      zstd_check(job, left);
      job.write(out.data(), output.pos);
      done = last ? left == 0 : input.pos == input.size;
    }
  }
}

}  // namespace

Compression parse_compression(const std::string& name) {
  for (Compression c : {Compression::none, Compression::gzip, Compression::zstd, Compression::tar_gz, Compression::zip})
    if (name == compression_name(c)) return c;
  throw Error(ExitCode::usage,
              fmt::format("--compress: unknown method '{}' (use tar.gz, zip, gzip, zstd or none)", name));
}

std::string compression_name(Compression c) {
  switch (c) {
    case Compression::gzip:
      return "gzip";
    case Compression::zstd:
      return "zstd";
    case Compression::tar_gz:
      return "tar.gz";
    case Compression::zip:
      return "zip";
    case Compression::none:
      break;
  }
  return "none";
}

bool is_archive(Compression c) { return c == Compression::tar_gz || c == Compression::zip; }

std::string compression_suffix(Compression c) {
  switch (c) {
    case Compression::tar_gz:
      return archive_suffix(ArchiveFormat::tar_gz);
    case Compression::zip:
      return archive_suffix(ArchiveFormat::zip);
    case Compression::gzip:
      return ".gz";
    case Compression::zstd:
      return ".zst";
    case Compression::none:
      break;
  }
  return "";
}

int check_compression_level(Compression c, int level) {
  if (c == Compression::none) return 0;
  bool zstd = c == Compression::zstd;
  if (level == 0) return zstd ? 3 : 6;
  int max = zstd ? 19 : 9;
  if (level < 1 || level > max)
    throw Error(ExitCode::usage,
                fmt::format("--compress-level: {} is out of range for {} (1..{})", level, compression_name(c), max));
  return level;
}

std::string compress_file(const std::string& path, Compression c, int level) {
  if (c == Compression::none || is_archive(c)) return path;
  level = check_compression_level(c, level);
  std::string target = path + compression_suffix(c);
  Job job(path, target);
  if (c == Compression::gzip)
    gzip_stream(job, level);
  else
    zstd_stream(job, level);
  job.commit();
  return target;
}

}  // namespace pktmask

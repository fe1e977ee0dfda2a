#include "capture/archive.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <memory>
#include <vector>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/output_file.h"

namespace pktmask {

namespace {

constexpr size_t kChunk = 256 * 1024;

struct ArchiveFree {
  void operator()(archive* a) const { archive_write_free(a); }
};
struct EntryFree {
  void operator()(archive_entry* e) const { archive_entry_free(e); }
};
struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) ::close(fd);
  }
};

class Writer {
 public:
  Writer(const std::string& target, ArchiveFormat format, int level) : target_(target), out_(target) {
    archive_.reset(archive_write_new());
    if (!archive_) fail("cannot start", "out of memory");
    std::string level_text = std::to_string(level);
    if (format == ArchiveFormat::tar_gz) {
      check(archive_write_set_format_pax_restricted(archive_.get()));
      check(archive_write_add_filter_gzip(archive_.get()));
      check(archive_write_set_filter_option(archive_.get(), "gzip", "compression-level", level_text.c_str()));
    } else {
      check(archive_write_set_format_zip(archive_.get()));
      check(archive_write_set_format_option(archive_.get(), "zip", "compression-level", level_text.c_str()));
    }
    // No padding to 10 KiB blocks: the archive ends where its data does.
    check(archive_write_set_bytes_in_last_block(archive_.get(), 1));
    check(archive_write_open2(archive_.get(), this, nullptr, write_to, nullptr, nullptr));
  }

  void add(const std::string& path) {
    Fd in;
    in.fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    struct stat st {};
    if (in.fd < 0 || ::fstat(in.fd, &st) != 0) fail(path + ": cannot read", std::strerror(errno));
    std::unique_ptr<archive_entry, EntryFree> entry(archive_entry_new());
    archive_entry_copy_stat(entry.get(), &st);
    archive_entry_set_pathname(entry.get(), std::filesystem::path(path).filename().c_str());
    check(archive_write_header(archive_.get(), entry.get()));
    std::vector<char> buffer(kChunk);
    while (true) {
      ssize_t n = ::read(in.fd, buffer.data(), buffer.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) fail(path + ": cannot read", std::strerror(errno));
      if (n == 0) break;
      if (archive_write_data(archive_.get(), buffer.data(), static_cast<size_t>(n)) != n) check(ARCHIVE_FATAL);
    }
  }

  uint64_t commit() {
    check(archive_write_close(archive_.get()));
    out_.commit();
    return out_.bytes_written();
  }

 private:
  // libarchive's output goes through OutputFile, which gives the archive its
  // name only once it is complete and synced.
  static la_ssize_t write_to(archive*, void* self, const void* data, size_t size) {
    auto* writer = static_cast<Writer*>(self);
    try {
      writer->out_.write({static_cast<const uint8_t*>(data), size});
    } catch (const std::exception& e) {
      writer->write_error_ = e.what();
      return -1;
    }
    return static_cast<la_ssize_t>(size);
  }

  void check(int rc) const {
    if (rc == ARCHIVE_OK) return;
    if (!write_error_.empty()) throw Error(ExitCode::output_failed, write_error_);
    const char* why = archive_error_string(archive_.get());
    fail("cannot write the archive", why != nullptr ? why : "libarchive failed");
  }

  [[noreturn]] void fail(const std::string& what, const std::string& reason) const {
    throw Error(ExitCode::output_failed, fmt::format("{}: {}: {}", target_, what, reason));
  }

  std::string target_;
  std::string write_error_;  // OutputFile's, which libarchive cannot carry
  OutputFile out_;           // declared before archive_, so libarchive is freed before the file it writes
  std::unique_ptr<archive, ArchiveFree> archive_;
};

}  // namespace

std::string archive_suffix(ArchiveFormat format) { return format == ArchiveFormat::tar_gz ? ".tar.gz" : ".zip"; }

uint64_t write_archive(const std::vector<std::string>& files, const std::string& target, ArchiveFormat format,
                       int level) {
  Writer writer(target, format, level);
  for (const std::string& file : files) writer.add(file);
  return writer.commit();
}

}  // namespace pktmask

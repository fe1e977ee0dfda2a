#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>

#include <catch2/catch.hpp>

#include "capture/compress.h"
#include "common/errors.h"
#include "temp_dir.h"

using namespace pktmask;

namespace {

namespace fs = std::filesystem;

std::vector<std::string> names(const test::TempDir& dir) {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(dir.path())) out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Compressible (repeated text) with incompressible (random) stretches, and
// bigger than one 256 KiB chunk.
std::string sample(size_t size) {
  std::mt19937 random(7);
  std::string data;
  while (data.size() < size) {
    data += "GET /index.html HTTP/1.1\r\nHost: example.com\r\n\r\n";
    for (int i = 0; i < 64; ++i) data += static_cast<char>(random() & 0xff);
  }
  data.resize(size);
  return data;
}

void write_file(const std::string& path, const std::string& data) {
  std::ofstream out(path, std::ios::binary);
  out << data;
  REQUIRE(out.good());
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string gunzip(const std::string& data) {
  z_stream z{};
  REQUIRE(inflateInit2(&z, 15 + 16) == Z_OK);  // gzip wrapper only: a zlib stream would fail
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  z.avail_in = static_cast<uInt>(data.size());
  std::string out;
  char buffer[65536];
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    z.next_out = reinterpret_cast<Bytef*>(buffer);
    z.avail_out = sizeof buffer;
    rc = inflate(&z, Z_NO_FLUSH);
    REQUIRE((rc == Z_OK || rc == Z_STREAM_END));
    out.append(buffer, sizeof buffer - z.avail_out);
  }
  CHECK(z.avail_in == 0);
  inflateEnd(&z);
  return out;
}

std::string unzstd(const std::string& data) {
  ZSTD_DCtx* dctx = ZSTD_createDCtx();
  ZSTD_inBuffer in{data.data(), data.size(), 0};
  std::string out;
  char buffer[65536];
  size_t rc = 1;
  while (in.pos < in.size) {
    ZSTD_outBuffer output{buffer, sizeof buffer, 0};
    rc = ZSTD_decompressStream(dctx, &output, &in);
    REQUIRE_FALSE(ZSTD_isError(rc));
    out.append(buffer, output.pos);
  }
  CHECK(rc == 0);  // the frame ended exactly at the end of the file
  ZSTD_freeDCtx(dctx);
  return out;
}

std::string decompress(Compression c, const std::string& data) {
  return c == Compression::gzip ? gunzip(data) : unzstd(data);
}

}  // namespace

TEST_CASE("parse_compression, compression_suffix and check_compression_level") {
  CHECK(parse_compression("none") == Compression::none);
  CHECK(parse_compression("gzip") == Compression::gzip);
  CHECK(parse_compression("zstd") == Compression::zstd);
  CHECK_THROWS_AS(parse_compression("xz"), Error);
  CHECK(compression_suffix(Compression::gzip) == ".gz");
  CHECK(compression_suffix(Compression::zstd) == ".zst");
  CHECK(compression_suffix(Compression::none).empty());
  CHECK(check_compression_level(Compression::gzip, 0) == 6);
  CHECK(check_compression_level(Compression::zstd, 0) == 3);
  CHECK(check_compression_level(Compression::gzip, 9) == 9);
  CHECK(check_compression_level(Compression::zstd, 19) == 19);
  for (int bad : {-1, 10}) CHECK_THROWS_AS(check_compression_level(Compression::gzip, bad), Error);
  for (int bad : {-1, 20}) CHECK_THROWS_AS(check_compression_level(Compression::zstd, bad), Error);
  try {
    check_compression_level(Compression::zstd, 22);
    FAIL("no exception");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::usage);
  }
}

TEST_CASE("compress_file round-trips, keeps mode and mtime, and removes the original") {
  auto c = GENERATE(Compression::gzip, Compression::zstd);
  auto size = GENERATE(size_t{0}, size_t{1000}, size_t{700'000});
  test::TempDir dir;
  std::string path = dir.file("seg-000001.pcap");
  std::string data = sample(size);
  write_file(path, data);
  REQUIRE(::chmod(path.c_str(), 0640) == 0);
  const struct timespec times[2] = {{1'600'000'000, 0}, {1'600'000'000, 0}};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);

  std::string result = compress_file(path, c, 0);
  CHECK(result == path + compression_suffix(c));
  CHECK(names(dir) == std::vector<std::string>{fs::path(result).filename().string()});
  CHECK(decompress(c, read_file(result)) == data);
  struct stat st {};
  REQUIRE(::stat(result.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  CHECK(st.st_mtim.tv_sec == 1'600'000'000);
}

TEST_CASE("compress_file with none leaves the file as it is") {
  test::TempDir dir;
  std::string path = dir.file("a.pcap");
  write_file(path, "abc");
  CHECK(compress_file(path, Compression::none, 0) == path);
  CHECK(read_file(path) == "abc");
}

TEST_CASE("compress_file fails with output_failed for a missing input and creates nothing") {
  test::TempDir dir;
  std::string path = dir.file("missing.pcap");
  try {
    compress_file(path, Compression::gzip, 0);
    FAIL("no exception");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::output_failed);
    CHECK(std::string(e.what()).rfind(path + ": cannot read: ", 0) == 0);
  }
  CHECK(names(dir).empty());
}

TEST_CASE("compress_file fails when it cannot create its temporary and keeps the original") {
  // Readable but in a directory nobody can create files in, root included.
  std::string path = "/proc/version";
  std::string before = read_file(path);
  try {
    compress_file(path, Compression::zstd, 0);
    FAIL("no exception");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::output_failed);
    CHECK(std::string(e.what()).rfind(path + ": cannot create compressed file: ", 0) == 0);
  }
  CHECK(read_file(path) == before);
}

TEST_CASE("compress_file removes its temporary and keeps the original when a write fails") {
  auto c = GENERATE(Compression::gzip, Compression::zstd);
  test::TempDir dir;
  std::string path = dir.file("seg.pcap");
  std::mt19937 random(1);
  std::string data(2'000'000, '\0');
  for (char& byte : data) byte = static_cast<char>(random() & 0xff);  // incompressible
  write_file(path, data);

  // A file size limit fails the write with EFBIG, as a full disk would with
  // ENOSPC, even for root.
  struct rlimit old_limit {};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  struct rlimit limit = old_limit;
  limit.rlim_cur = 100'000;
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &limit) == 0);
  std::string message;
  try {
    compress_file(path, c, 1);
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::output_failed);
    message = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  ::signal(SIGXFSZ, old_handler);

  CHECK(message.rfind(path + ": cannot write compressed file: ", 0) == 0);
  CHECK(names(dir) == std::vector<std::string>{"seg.pcap"});
  CHECK(read_file(path) == data);
}

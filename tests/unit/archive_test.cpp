#include <archive.h>
#include <archive_entry.h>
#include <sys/stat.h>

#include <map>
#include <string>

#include <catch2/catch.hpp>

#include "capture/archive.h"
#include "common/errors.h"
#include "temp_dir.h"

using namespace pktmask;
using test::TempDir;

namespace {

// Name → contents of every entry, read back through libarchive.
std::map<std::string, std::string> read_archive(const std::string& path) {
  archive* reader = archive_read_new();
  archive_read_support_filter_all(reader);
  archive_read_support_format_all(reader);
  REQUIRE(archive_read_open_filename(reader, path.c_str(), 10240) == ARCHIVE_OK);
  std::map<std::string, std::string> entries;
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader, &entry) == ARCHIVE_OK) {
    std::string data(static_cast<size_t>(archive_entry_size(entry)), '\0');
    REQUIRE(archive_read_data(reader, data.data(), data.size()) == static_cast<la_ssize_t>(data.size()));
    entries[archive_entry_pathname(entry)] = data;
  }
  archive_read_free(reader);
  return entries;
}

void write_text(const std::string& path, const std::string& text) {
  test::write_file(path, test::Bytes(text.begin(), text.end()));
}

}  // namespace

TEST_CASE("write_archive: tar.gz and zip hold each file under its base name, readable back") {
  TempDir dir;
  write_text(dir.file("a.pcap"), std::string(300000, 'a'));
  write_text(dir.file("b.pcap"), "second segment");
  for (ArchiveFormat format : {ArchiveFormat::tar_gz, ArchiveFormat::zip}) {
    std::string target = dir.file("all" + archive_suffix(format));
    uint64_t size = write_archive({dir.file("a.pcap"), dir.file("b.pcap")}, target, format, 6);
    struct stat st {};
    REQUIRE(::stat(target.c_str(), &st) == 0);
    CHECK(size == static_cast<uint64_t>(st.st_size));
    CHECK(size < 300000);  // compressed
    std::map<std::string, std::string> entries = read_archive(target);
    CHECK(entries.size() == 2);
    CHECK(entries["a.pcap"] == std::string(300000, 'a'));
    CHECK(entries["b.pcap"] == "second segment");
  }
}

TEST_CASE("write_archive: a missing file fails with output_failed and leaves no archive") {
  TempDir dir;
  write_text(dir.file("a.pcap"), "x");
  std::string target = dir.file("all.tar.gz");
  try {
    write_archive({dir.file("a.pcap"), dir.file("gone.pcap")}, target, ArchiveFormat::tar_gz, 6);
    FAIL("no error");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::output_failed);
    CHECK(std::string(e.what()).find("gone.pcap") != std::string::npos);
  }
  struct stat st {};
  CHECK(::stat(target.c_str(), &st) != 0);
  CHECK(::stat(dir.file("a.pcap").c_str(), &st) == 0);
}

#include <sys/stat.h>

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "capture/cleaner.h"
#include "temp_dir.h"

using namespace pktmask;
using test::TempDir;

namespace {

constexpr size_t kCapacity = 1024;

// A cleaner with nothing to retain, given `count` segments of `size` bytes;
// what it reported, in order.
std::vector<Message> clean(const TempDir& dir, CleanerSettings settings, int count, size_t size) {
  settings.retention = {};
  MessageQueue<Message> inbox(kCapacity), reports(kCapacity);
  for (int i = 1; i <= count; ++i) {
    std::string path = dir.file("capture-" + std::to_string(i) + ".pcap");
    test::write_file(path, test::Bytes(size, static_cast<uint8_t>(i)));
    inbox.push({.kind = MessageKind::file_ready,
                .segment = static_cast<uint64_t>(i),
                .detail = SanitizedSegment{.file = {.path = path, .size = size, .segment_index = 0, .created_ts_usec = 0, .sha256 = ""}}});
  }
  inbox.close();
  Outbox out(reports, Actor::cleaner, "test");
  run_cleaner(inbox, {dir.path(), "capture-{index}.{ext}", settings}, out);
  reports.close();
  std::vector<Message> all;
  while (auto message = reports.pop()) all.push_back(*message);
  return all;
}

std::vector<CompressedFiles> archives(const std::vector<Message>& reports) {
  std::vector<CompressedFiles> found;
  for (const Message& message : reports)
    if (message.kind == MessageKind::compressed) found.push_back(std::get<CompressedFiles>(message.detail));
  return found;
}

bool exists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

TEST_CASE("cleaner: segments wait until the threshold, then go into one archive; the rest at the end") {
  TempDir dir;
  CleanerSettings settings;
  settings.compress_threshold = 2500;
  std::vector<Message> reports = clean(dir, settings, 4, 1000);
  std::vector<CompressedFiles> written = archives(reports);
  REQUIRE(written.size() == 2);
  CHECK(written[0].compressed_files.size() == 3);  // 3000 bytes waiting reach 2500
  CHECK(written[0].archive_path == dir.file("capture-1.tar.gz"));
  CHECK(written[0].original_bytes == 3000);
  CHECK(written[1].compressed_files.size() == 1);  // the end
  CHECK(written[1].archive_path == dir.file("capture-4.tar.gz"));
  CHECK(exists(dir.file("capture-1.tar.gz")));
  for (int i = 1; i <= 4; ++i) CHECK_FALSE(exists(dir.file("capture-" + std::to_string(i) + ".pcap")));
  // The second segment's `stored` counts two waiting.
  int stored = 0;
  for (const Message& message : reports)
    if (message.kind == MessageKind::stored && ++stored == 2) {
      const auto& detail = std::get<SegmentStored>(message.detail);
      CHECK(detail.success);
      CHECK(detail.pending_count == 2);
      CHECK(detail.pending_bytes == 2000);
    }
  CHECK(reports.back().kind == MessageKind::worker_done);
}

TEST_CASE("cleaner: zip archives, per-file gzip, and none") {
  TempDir dir;
  CleanerSettings settings;
  settings.compression = Compression::zip;
  CHECK(archives(clean(dir, settings, 2, 100)).at(0).archive_path == dir.file("capture-1.zip"));
  TempDir gzip_dir;
  settings.compression = Compression::gzip;
  std::vector<CompressedFiles> each = archives(clean(gzip_dir, settings, 2, 100));
  REQUIRE(each.size() == 2);
  CHECK(each[1].archive_path == gzip_dir.file("capture-2.pcap.gz"));
  TempDir plain_dir;
  settings.compression = Compression::none;
  CHECK(archives(clean(plain_dir, settings, 2, 100)).empty());
  CHECK(exists(plain_dir.file("capture-2.pcap")));
}

TEST_CASE("cleaner: an archive that cannot be written is compress_failed 300, and the segments stay") {
  TempDir dir;
  CleanerSettings settings;
  ::mkdir(dir.file("capture-1.tar.gz").c_str(), 0700);  // in the archive's way
  std::vector<Message> reports = clean(dir, settings, 2, 100);
  bool failed = false;
  for (const Message& message : reports)
    if (message.kind == MessageKind::compress_failed) {
      failed = true;
      CHECK(message.error_code == 300);
    }
  CHECK(failed);
  CHECK(exists(dir.file("capture-1.pcap")));
  CHECK(exists(dir.file("capture-2.pcap")));
}

// A capture read from bytes in memory reads as the same capture read from a
// file: the same records, fingerprint and length, compressed or not.

#include <catch2/catch.hpp>

#include "capture/compress.h"
#include "common/capture_reader.h"
#include "common/input_stream.h"
#include "packet_bytes.h"
#include "temp_dir.h"

using namespace pktmask;
using test::Bytes;

namespace {

struct ReadBack {
  std::vector<Bytes> records;
  uint64_t head_hash = 0;
  uint64_t bytes_seen = 0;
  bool compressed = false;
};

ReadBack read_all(const CaptureInput& input) {
  ReadBack back;
  InputStream in(input);
  CaptureReader reader(in);
  CaptureRecord record;
  while (reader.next(record)) back.records.emplace_back(record.raw.begin(), record.raw.end());
  back.head_hash = in.head_hash();
  back.bytes_seen = in.bytes_seen();
  back.compressed = in.compressed();
  return back;
}

Bytes sample_capture() {
  test::TlsStream stream = test::TlsStream().record(22, 300).record(23, 2000).record(23, 40);
  return test::pcap_file(test::stream_packets(1000, stream.bytes, {100, 1200, 1900}));
}

}  // namespace

TEST_CASE("input_stream reads bytes in memory as it reads the same bytes from a file") {
  test::TempDir dir;
  Bytes capture = sample_capture();
  test::write_file(dir.file("capture.pcap"), capture);
  ReadBack from_file = read_all(CaptureInput(dir.file("capture.pcap")));
  ReadBack from_memory = read_all(CaptureInput::in_memory(capture));
  CHECK(from_memory.records == from_file.records);
  CHECK(from_memory.records.size() == 5);  // the file header and four packets
  CHECK(from_memory.head_hash == from_file.head_hash);
  CHECK(from_memory.bytes_seen == capture.size());
  CHECK(from_file.bytes_seen == capture.size());
  InputStream in(CaptureInput::in_memory(capture));
  CHECK(in.file_size() == capture.size());
}

TEST_CASE("input_stream decompresses gzip and zstd bytes in memory") {
  test::TempDir dir;
  Bytes capture = sample_capture();
  ReadBack plain = read_all(CaptureInput::in_memory(capture));
  for (Compression method : {Compression::gzip, Compression::zstd}) {
    CAPTURE(compression_suffix(method));
    test::write_file(dir.file("capture.pcap"), capture);
    Bytes packed = test::read_file(compress_file(dir.file("capture.pcap"), method, 0));
    ReadBack unpacked = read_all(CaptureInput::in_memory(packed));
    CHECK(unpacked.compressed);
    CHECK(unpacked.records == plain.records);
    CHECK(unpacked.head_hash == plain.head_hash);
    CHECK(unpacked.bytes_seen == capture.size());
  }
}

#include <catch2/catch.hpp>

#include <optional>

#include <fmt/format.h>

#include "capture/compress.h"
#include "common/capture_reader.h"
#include "common/errors.h"
#include "packet_bytes.h"
#include "temp_dir.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;
using test::read_file;
using test::TempDir;
using test::write_file;

namespace {

struct ReadBack {
  std::vector<Bytes> raw;
  std::vector<RecordKind> kinds;
  std::vector<Packet> packets;
  std::vector<Bytes> packet_data;
  std::optional<Truncation> truncation;
};

ReadBack read_path(const std::string& path, TornTail torn_tail) {
  ReadBack back;
  InputStream in(path);
  CaptureReader reader(in, torn_tail);
  CaptureRecord record;
  while (reader.next(record)) {
    back.raw.emplace_back(record.raw.begin(), record.raw.end());
    back.kinds.push_back(record.kind);
    if (record.has_packet()) {
      back.packets.push_back(record.packet);
      back.packet_data.emplace_back(record.packet.data.begin(), record.packet.data.end());
    }
  }
  back.truncation = reader.truncation();
  return back;
}

ReadBack read_all(const Bytes& file, TornTail torn_tail = TornTail::refuse) {
  // The directory goes even when reading throws, as most cases here expect.
  TempDir dir;
  write_file(dir.file("capture"), file);
  return read_path(dir.file("capture"), torn_tail);
}

ExitCode read_error(const Bytes& file, std::string& message, TornTail torn_tail = TornTail::refuse) {
  try {
    read_all(file, torn_tail);
  } catch (const Error& e) {
    message = e.what();
    return e.code();
  }
  return ExitCode::ok;
}

Bytes join(const std::vector<Bytes>& parts) {
  Bytes out;
  for (const Bytes& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

const Bytes kPcapLe = hex("d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000");
const Bytes kRecordLe = hex("01000000 02000000 04000000 3c000000 deadbeef");
const Bytes kPcapBe = hex("a1b23c4d 0002 0004 00000000 00000000 0000ffff 00000065");
const Bytes kRecordBe = hex("00000001 00000002 00000003 00000003 abcdef");
const Bytes kShbLe = hex("0a0d0d0a 1c000000 4d3c2b1a 0100 0000 ffffffffffffffff 1c000000");
const Bytes kIdbLe = hex("01000000 14000000 0100 0000 00000000 14000000");
const Bytes kIdbLe228 = hex("01000000 14000000 e400 0000 00000000 14000000");
const Bytes kEpbLe = hex("06000000 24000000 01000000 00000000 00000000 03000000 03000000 a1a2a300 24000000");
const Bytes kCustomLe = hex("ad0b0000 10000000 01020304 10000000");
const Bytes kShbBe = hex("0a0d0d0a 0000001c 1a2b3c4d 0001 0000 ffffffffffffffff 0000001c");
const Bytes kIdbBe = hex("00000001 00000014 0065 0000 00000000 00000014");
const Bytes kSpbBe = hex("00000003 00000014 00000004 c1c2c3c4 00000014");

}  // namespace

TEST_CASE("capture_reader reads little-endian microsecond pcap byte for byte") {
  Bytes file = concat({kPcapLe, kRecordLe, kRecordLe});
  ReadBack back = read_all(file);
  CHECK(join(back.raw) == file);
  REQUIRE(back.packets.size() == 2);
  CHECK(back.packets[0].link_type == 1);
  CHECK(back.packets[0].original_length == 60);
  CHECK(back.packet_data[1] == hex("deadbeef"));
}

TEST_CASE("capture_reader reads big-endian nanosecond pcap") {
  Bytes file = concat({kPcapBe, kRecordBe});
  ReadBack back = read_all(file);
  CHECK(join(back.raw) == file);
  REQUIRE(back.packets.size() == 1);
  CHECK(back.packets[0].link_type == 101);
  CHECK(back.packet_data[0] == hex("abcdef"));
}

TEST_CASE("capture_reader reads the modified (Kuznetzov) pcap with 24-byte record headers") {
  Bytes header = hex("34cdb2a1 0200 0400 00000000 00000000 ffff0000 01000000");
  Bytes record = hex("01000000 02000000 02000000 02000000 01000000 0008 00 00 beef");
  ReadBack back = read_all(concat({header, record}));
  REQUIRE(back.packets.size() == 1);
  CHECK(back.packet_data[0] == hex("beef"));
}

TEST_CASE("capture_reader reads pcapng with several sections, interfaces, byte orders and unknown blocks") {
  Bytes file = concat({kShbLe, kIdbLe, kIdbLe228, kEpbLe, kCustomLe, kShbBe, kIdbBe, kSpbBe});
  ReadBack back = read_all(file);
  CHECK(join(back.raw) == file);
  REQUIRE(back.packets.size() == 2);
  CHECK(back.packets[0].link_type == 228);  // EPB names interface 1
  CHECK(back.packet_data[0] == hex("a1a2a3"));
  CHECK(back.packets[1].link_type == 101);  // the second section's interfaces are its own
  CHECK(back.packet_data[1] == hex("c1c2c3c4"));
}

TEST_CASE("capture_reader names each record's kind") {
  using enum RecordKind;
  CHECK(read_all(concat({kPcapLe, kRecordLe})).kinds == std::vector{file_header, packet});
  Bytes secrets = hex("0a000000 14000000 4b534c54 00000000 14000000");
  CHECK(read_all(concat({kShbLe, kIdbLe, kIdbLe228, kEpbLe, secrets, kCustomLe, kShbBe, kIdbBe, kSpbBe})).kinds ==
        std::vector{section_header, interface_description, interface_description, packet, decryption_secrets, other,
                    section_header, interface_description, packet});
}

TEST_CASE("unspecify_section_length sets a section header's length to -1 and nothing else") {
  Bytes shb = hex("0a0d0d0a 1c000000 4d3c2b1a 0100 0000 0001000000000000 1c000000");
  CaptureRecord record;
  record.raw = shb;
  unspecify_section_length(record);
  CHECK(shb == kShbLe);
}

TEST_CASE("capture_reader rejects bad input with exit code 3 and the offset") {
  std::string message;
  CHECK(read_error({}, message) == ExitCode::bad_capture);
  CHECK(message.find("empty") != std::string::npos);
  CHECK(read_error(hex("00010203 04050607"), message) == ExitCode::bad_capture);
  CHECK(message.find("not a pcap") != std::string::npos);
  CHECK(read_error(Bytes(kPcapLe.begin(), kPcapLe.begin() + 10), message) == ExitCode::bad_capture);
  Bytes cut = concat({kPcapLe, kRecordLe});
  cut.pop_back();
  CHECK(read_error(cut, message) == ExitCode::bad_capture);
  CHECK(message.find("offset 24") != std::string::npos);
  Bytes huge = concat({kPcapLe, hex("01000000 02000000 ffffff7f ffffff7f")});
  CHECK(read_error(huge, message) == ExitCode::bad_capture);
  Bytes mismatch = concat({kShbLe, kIdbLe});
  mismatch[mismatch.size() - 4] = 0x18;
  CHECK(read_error(mismatch, message) == ExitCode::bad_capture);
  CHECK(message.find("offset 28") != std::string::npos);
  Bytes odd = concat({kShbLe, hex("01000000 0d000000 00")});
  CHECK(read_error(odd, message) == ExitCode::bad_capture);
  Bytes tiny = concat({kShbLe, hex("01000000 08000000")});
  CHECK(read_error(tiny, message) == ExitCode::bad_capture);
  Bytes no_shb = kIdbLe;
  CHECK(read_error(no_shb, message) == ExitCode::bad_capture);
}

TEST_CASE("capture_reader gives each packet's time in microseconds, whatever the file's resolution") {
  CHECK(read_all(concat({kPcapLe, kRecordLe})).packets[0].time_us == 1'000'002);  // 1 s, 2 µs
  CHECK(read_all(concat({kPcapBe, kRecordBe})).packets[0].time_us == 1'000'000);  // 1 s, 2 ns
  CHECK(read_all(concat({kShbLe, kIdbLe, kIdbLe228, kEpbLe})).packets[0].time_us == 0);
  // if_tsresol 9: nanoseconds; the EPB says 2e9 of them.
  Bytes idb_ns = hex("01000000 20000000 0100 0000 00000000 0900 0100 09000000 00000000 20000000");
  Bytes epb = hex("06000000 24000000 00000000 00000000 00943577 03000000 03000000 a1a2a300 24000000");
  CHECK(read_all(concat({kShbLe, idb_ns, epb})).packets[0].time_us == 2'000'000);
  // if_tsresol 0x8a: 2^-10 s; 1024 units are one second.
  Bytes idb_binary = hex("01000000 20000000 0100 0000 00000000 0900 0100 8a000000 00000000 20000000");
  Bytes epb_1024 = hex("06000000 24000000 00000000 00000000 00040000 03000000 03000000 a1a2a300 24000000");
  CHECK(read_all(concat({kShbLe, idb_binary, epb_1024})).packets[0].time_us == 1'000'000);
}

TEST_CASE("capture_reader gives the right time to a pcap record whose data the input buffer had to be refilled for") {
  // 1016-byte records over more than the input's 4 MiB chunk: some record's
  // header lies in one fill and its data reaches into the next.
  Bytes file = kPcapLe;
  const uint32_t count = 5000;
  for (uint32_t i = 0; i < count; ++i) {
    Bytes record = hex("00000000 00000000 e8030000 e8030000");
    record[0] = uint8_t(i);
    record[1] = uint8_t(i >> 8);
    record.resize(16 + 1000, 0x5a);
    file.insert(file.end(), record.begin(), record.end());
  }
  ReadBack back = read_all(file);
  REQUIRE(back.packets.size() == count);
  for (uint32_t i = 0; i < count; ++i) {
    CAPTURE(i);
    REQUIRE(back.packets[i].time_us == int64_t{i} * 1'000'000);
  }
}

namespace {

// Cuts `complete + last` at every byte inside `last`: the complete records
// come back byte for byte and the cut is reported, or, refused, it is exit 3
// naming the torn record's offset.
void check_every_cut(const Bytes& complete, const Bytes& last) {
  for (size_t keep = 1; keep < last.size(); ++keep) {
    CAPTURE(keep);
    Bytes cut = complete;
    cut.insert(cut.end(), last.begin(), last.begin() + static_cast<ptrdiff_t>(keep));
    ReadBack back = read_all(cut, TornTail::leave_out);
    CHECK(join(back.raw) == complete);
    REQUIRE(back.truncation);
    CHECK(back.truncation->offset == complete.size());
    CHECK(back.truncation->torn_bytes == keep);
    std::string message;
    CHECK(read_error(cut, message) == ExitCode::bad_capture);
    CHECK(message.find(fmt::format("offset {}", complete.size())) != std::string::npos);
  }
  ReadBack whole = read_all(concat({complete, last}), TornTail::leave_out);
  CHECK_FALSE(whole.truncation);
}

}  // namespace

TEST_CASE("capture_reader leaves out a pcap record cut short at the end, in both byte orders") {
  check_every_cut(concat({kPcapLe, kRecordLe}), kRecordLe);
  check_every_cut(concat({kPcapBe, kRecordBe}), kRecordBe);
  check_every_cut(kPcapLe, kRecordLe);  // no complete packet: the file header alone
}

TEST_CASE("capture_reader leaves out a pcapng block cut short at the end, in both byte orders") {
  check_every_cut(concat({kShbLe, kIdbLe, kIdbLe228, kEpbLe}), kEpbLe);
  check_every_cut(concat({kShbBe, kIdbBe, kSpbBe}), kSpbBe);
  check_every_cut(concat({kShbLe, kIdbLe, kIdbLe228, kEpbLe}), kShbBe);  // a new section cut short
}

TEST_CASE("capture_reader treats a length no record can have as corruption, even at the end") {
  std::string message;
  // pcap: a captured length over the limit, with the data missing.
  CHECK(read_error(concat({kPcapLe, hex("01000000 02000000 ffffff7f ffffff7f 00")}), message, TornTail::leave_out) ==
        ExitCode::bad_capture);
  // pcapng: a block length not a multiple of 4, or under 12, in a header cut short.
  CHECK(read_error(concat({kShbLe, hex("01000000 0d000000 00")}), message, TornTail::leave_out) ==
        ExitCode::bad_capture);
  CHECK(read_error(concat({kShbLe, hex("01000000 08000000")}), message, TornTail::leave_out) == ExitCode::bad_capture);
  // ...or in the middle of the file.
  Bytes odd_mid = concat({kShbLe, kIdbLe, kEpbLe});
  odd_mid[kShbLe.size() + 4] = 0x15;
  CHECK(read_error(odd_mid, message, TornTail::leave_out) == ExitCode::bad_capture);
  // A cut before the first complete record leaves nothing to sanitize.
  CHECK(read_error(Bytes(kShbLe.begin(), kShbLe.end() - 1), message, TornTail::leave_out) == ExitCode::bad_capture);
  CHECK(read_error(Bytes(kPcapLe.begin(), kPcapLe.end() - 1), message, TornTail::leave_out) == ExitCode::bad_capture);
}

TEST_CASE("capture_reader reads gzip and zstd captures as the plain bytes, and a cut stream as truncated") {
  Bytes file = concat({kShbLe, kIdbLe, kIdbLe228, kEpbLe, kCustomLe, kShbBe, kIdbBe, kSpbBe});
  for (Compression method : {Compression::gzip, Compression::zstd}) {
    CAPTURE(static_cast<int>(method));
    TempDir dir;
    std::string plain = dir.file("plain");
    write_file(plain, file);
    std::string packed = compress_file(plain, method, 0);
    {
      InputStream in(packed);
      CHECK(in.compressed());
      CHECK_FALSE(in.file_size());
    }
    ReadBack back = read_path(packed, TornTail::refuse);
    CHECK(join(back.raw) == file);
    CHECK(back.packets.size() == 2);

    // Cut inside the gzip trailer or the zstd frame checksum: every record
    // came through, yet the stream was cut short, at a record boundary.
    Bytes bytes = read_file(packed);
    bytes.resize(bytes.size() - 3);
    std::string cut = dir.file("cut");
    write_file(cut, bytes);
    ReadBack front = read_path(cut, TornTail::leave_out);
    REQUIRE(front.truncation);
    CHECK(join(front.raw) == file);
    CHECK(front.truncation->offset == file.size());
    CHECK(front.truncation->torn_bytes == 0);
    CHECK_THROWS_AS(read_path(cut, TornTail::refuse), Error);

    // Corrupt it: exit 3 naming the file.
    bytes = read_file(packed);
    for (size_t i = 12; i < bytes.size() - 8; ++i) bytes[i] ^= 0x5a;
    std::string corrupt = dir.file("corrupt");
    write_file(corrupt, bytes);
    try {
      read_path(corrupt, TornTail::leave_out);
      FAIL("corrupt compressed data was read");
    } catch (const Error& e) {
      CHECK(e.code() == ExitCode::bad_capture);
      CHECK(std::string(e.what()).find(corrupt) != std::string::npos);
    }
  }
}

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "packet_bytes.h"
#include "verifier/policy_walk.h"

using namespace pktmask;
using namespace pktmask::verify;
using test::Bytes;
using test::concat;
using test::slice;
using test::tls_record;

namespace {

// Captured segments laid out one after another in a scratch file, as a
// capture holds them, then walked in the order they were added.
class Capture {
 public:
  Capture() {
    const char* dir = std::getenv("TMPDIR");
    path_ = std::string(dir && *dir ? dir : "/tmp") + "/policy-walk-test-XXXXXX";
    int fd = ::mkstemp(path_.data());
    if (fd >= 0) ::close(fd);
  }
  ~Capture() { std::remove(path_.c_str()); }

  Capture& segment(uint64_t seq, Bytes bytes) {
    segments_.push_back({seq, file_.size(), bytes.size()});
    file_.insert(file_.end(), bytes.begin(), bytes.end());
    return *this;
  }

  // One letter per stream byte in [start, end): k kept, . masked, ? either.
  std::string walk(uint64_t stream_start, uint64_t start, uint64_t end) {
    std::FILE* out = std::fopen(path_.c_str(), "wb");
    std::fwrite(file_.data(), 1, file_.size(), out);
    std::fclose(out);
    CaptureBytes bytes(path_);
    PolicyWalk walk(stream_start, TlsBodies{}, HandshakeDetail::full);
    for (const Segment& s : segments_) walk.feed(s.seq, s.length, s.file_offset, bytes);
    walk.finish(bytes);
    KeptRanges kept = walk.release();
    std::string letters;
    kept.for_each_stretch(start, end, [&](uint64_t first, uint64_t last, Verdict verdict) {
      letters.append(last - first, verdict == Verdict::kept ? 'k' : verdict == Verdict::either ? '?' : '.');
    });
    return letters;
  }

 private:
  struct Segment {
    uint64_t seq;
    uint64_t file_offset;
    uint64_t length;
  };
  std::string path_;
  Bytes file_;
  std::vector<Segment> segments_;
};

std::string run(size_t count, char letter) { return std::string(count, letter); }

}  // namespace

TEST_CASE("policy_walk keeps handshake records whole and only the header of application data") {
  Bytes stream = concat({tls_record(22, 4), tls_record(23, 3), tls_record(21, 2)});
  CHECK(Capture().segment(0, stream).walk(0, 0, stream.size()) == run(9, 'k') + run(5, 'k') + "..." + run(7, 'k'));
}

TEST_CASE("policy_walk reads a header split across segments that arrive out of order") {
  Bytes stream = concat({tls_record(22, 4), tls_record(23, 6)});
  Capture capture;
  capture.segment(11, slice(stream, 11, stream.size())).segment(0, slice(stream, 0, 11));
  CHECK(capture.walk(0, 0, stream.size()) == run(14, 'k') + run(6, '.'));
}

TEST_CASE("policy_walk: the first captured copy of a header wins over a later one") {
  Bytes stream = concat({tls_record(22, 4), tls_record(22, 4)});
  Bytes garbage = {0x47, 0x45, 0x54, 0x20, 0x2f};
  SECTION("a later implausible copy changes nothing") {
    Capture capture;
    capture.segment(0, stream).segment(9, garbage);
    CHECK(capture.walk(0, 0, 18) == run(18, 'k'));
  }
  SECTION("a later plausible copy cannot undo an implausible first one") {
    Capture capture;
    capture.segment(0, concat({slice(stream, 0, 9), garbage})).segment(9, slice(stream, 9, 18));
    CHECK(capture.walk(0, 0, 18) == run(9, 'k') + run(9, '.'));
  }
}

TEST_CASE("policy_walk goes on past a gap in a body but stops for good at a header in a gap") {
  Bytes stream = concat({tls_record(23, 20), tls_record(22, 4), tls_record(22, 4), tls_record(22, 4)});
  Capture capture;
  capture.segment(0, slice(stream, 0, 10)).segment(20, slice(stream, 20, 34)).segment(43, slice(stream, 43, 52));
  // bytes 10..20 (body) and 34..43 (the third header) were never captured
  CHECK(capture.walk(0, 0, 52) == run(5, 'k') + run(20, '.') + run(9, 'k') + run(18, '.'));
}

TEST_CASE("policy_walk: a direction whose first header is implausible keeps nothing") {
  Bytes stream = concat({Bytes{'G', 'E', 'T', ' ', '/'}, tls_record(22, 4)});
  CHECK(Capture().segment(0, stream).walk(0, 0, stream.size()) == run(stream.size(), '.'));
}

TEST_CASE("policy_walk masks bytes before the stream start") {
  Bytes stream = concat({Bytes{1, 2, 3}, tls_record(22, 2)});
  CHECK(Capture().segment(7, stream).walk(10, 7, 17) == "..." + run(7, 'k'));
}

TEST_CASE("policy_walk accepts a body of 18432 bytes and stops above it") {
  CHECK(Capture().segment(0, tls_record(23, 18432)).walk(0, 0, 6) == "kkkkk.");
  CHECK(Capture().segment(0, tls_record(23, 18433)).walk(0, 0, 6) == "......");
}

TEST_CASE("policy_walk leaves a partly captured header at the end to the tool's choice if it could be plausible") {
  Bytes stream = tls_record(22, 2);
  CHECK(Capture().segment(0, concat({stream, Bytes{23, 3, 3}})).walk(0, 0, 12) == run(7, 'k') + "?????");
  CHECK(Capture().segment(0, concat({stream, Bytes{23, 3, 3, 0x49}})).walk(0, 0, 12) == run(7, 'k') + ".....");
  CHECK(Capture().segment(0, concat({stream, Bytes{0x47, 3}})).walk(0, 0, 12) == run(7, 'k') + ".....");
}

TEST_CASE("policy_walk: a header cut by a gap is partly captured too") {
  Bytes stream = concat({tls_record(22, 2), tls_record(22, 2), tls_record(22, 2)});
  Capture capture;
  capture.segment(0, slice(stream, 0, 9)).segment(10, slice(stream, 10, stream.size()));
  CHECK(capture.walk(0, 0, stream.size()) == run(7, 'k') + run(5, '?') + run(9, '.'));
}

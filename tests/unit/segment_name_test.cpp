#include <fnmatch.h>

#include <catch2/catch.hpp>

#include "capture/segment_name.h"
#include "common/errors.h"

using namespace pktmask;

namespace {

bool matches(const std::string& glob, const std::string& name) { return ::fnmatch(glob.c_str(), name.c_str(), 0) == 0; }

ExitCode code_of(const std::string& tmpl) {
  try {
    check_name_template(tmpl);
  } catch (const Error& e) {
    CHECK(std::string(e.what()).rfind("--name: ", 0) == 0);
    return e.code();
  }
  return ExitCode::ok;
}

}  // namespace

TEST_CASE("segment_name fills every placeholder and zero-pads the index") {
  CHECK(segment_name("{id}-{index}-{time}.{ext}", 7, 0, "cap1", "pcap") == "cap1-000007-19700101T000000Z.pcap");
  CHECK(segment_name("s{index}.{ext}", 1234567, 0, "x", "pcapng") == "s1234567.pcapng");
  CHECK(segment_name("plain", 1, 0, "x", "pcap") == "plain");
}

TEST_CASE("segment_name formats the first packet's time in UTC, whole seconds") {
  CHECK(segment_name("{time}", 1, 1'700'000'000'999'999, "x", "pcap") == "20231114T221320Z");
  CHECK(segment_name("{time}", 1, -1, "x", "pcap") == "19691231T235959Z");
}

TEST_CASE("check_name_template rejects unknown and unclosed placeholders, slashes, no index, hidden names") {
  CHECK(code_of("{index}_{time}_{id}.{ext}") == ExitCode::ok);
  CHECK(code_of("{date}.pcap") == ExitCode::usage);
  CHECK(code_of("{}.pcap") == ExitCode::usage);
  CHECK(code_of("{index.pcap") == ExitCode::usage);
  CHECK(code_of("sub/{index}.pcap") == ExitCode::usage);
  CHECK(code_of("") == ExitCode::usage);
  CHECK(code_of("{time}.{ext}") == ExitCode::usage);
  CHECK(code_of(".{index}.pcap") == ExitCode::usage);
  CHECK_THROWS_AS(segment_name("{nope}", 1, 0, "x", "pcap"), Error);
  CHECK_THROWS_AS(segment_glob("a/b"), Error);
}

TEST_CASE("segment_glob matches every produced name, compressed or not, and nothing else") {
  std::string tmpl = "{id}_{index}_{time}.{ext}";
  std::string glob = segment_glob(tmpl);
  CHECK(glob == "*_*_*.pcap*");
  for (const char* ext : {"pcap", "pcapng"}) {
    std::string name = segment_name(tmpl, 42, 1'700'000'000'000'000, "cap", ext);
    CHECK(matches(glob, name));
    CHECK(matches(glob, name + ".gz"));
    CHECK(matches(glob, name + ".zst"));
  }
  CHECK_FALSE(matches(glob, "cap_1_2.txt"));
}

TEST_CASE("segment_glob appends a star only when the template does not end in a placeholder") {
  CHECK(segment_glob("seg-{index}") == "seg-*");
  CHECK(segment_glob("seg-{index}.pcap") == "seg-*.pcap*");
  CHECK(matches(segment_glob("seg-{index}.pcap"), segment_name("seg-{index}.pcap", 3, 0, "x", "pcap") + ".gz"));
}

TEST_CASE("segment_glob escapes literal glob metacharacters") {
  std::string tmpl = "a[1]?*\\{index}";
  std::string glob = segment_glob(tmpl);
  CHECK(glob == "a\\[1\\]\\?\\*\\\\*");
  CHECK(matches(glob, segment_name(tmpl, 5, 0, "x", "pcap")));
  CHECK_FALSE(matches(glob, "a1xy\\000005"));
}

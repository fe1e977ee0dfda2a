#include <sys/stat.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "capture/metrics_file.h"
#include "common/errors.h"
#include "temp_dir.h"

using namespace pktmask;

TEST_CASE("write_metrics_file replaces the file whole, mode 0644 whatever the umask, no temporary left") {
  test::TempDir dir;
  std::string path = dir.file("pktmask.prom");
  mode_t old_mask = ::umask(077);
  write_metrics_file(path, "first 1\n");
  write_metrics_file(path, "second 2\n");
  ::umask(old_mask);
  test::Bytes bytes = test::read_file(path);
  CHECK(std::string(bytes.begin(), bytes.end()) == "second 2\n");
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0644);
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), {}) == 1);
}

TEST_CASE("write_metrics_file: a directory that is not there is a start failure (105)") {
  test::TempDir dir;
  try {
    write_metrics_file(dir.file("nosuch/pktmask.prom"), "x 1\n");
    FAIL("written");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::start_create_file_failed);
    CHECK(std::string(e.what()).find("nosuch/pktmask.prom") != std::string::npos);
  }
}

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <functional>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "common/anon/anon_key.h"
#include "common/errors.h"
#include "temp_dir.h"

using namespace pktmask;

namespace {

ExitCode code_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const Error& e) {
    return e.code();
  }
  return ExitCode::ok;
}

}  // namespace

TEST_CASE("load_or_create_key creates a private 32-byte key once and then reads it") {
  test::TempDir dir;
  std::string path = dir.file("key");
  AnonKey created = load_or_create_key(path);
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK(st.st_size == 32);
  test::Bytes stored = test::read_file(path);
  CHECK(std::equal(stored.begin(), stored.end(), created.bytes.begin()));
  CHECK(load_or_create_key(path).bytes == created.bytes);
  CHECK(load_key(path).bytes == created.bytes);
}

TEST_CASE("processes creating the key at once all end with the same key") {
  test::TempDir dir;
  std::string path = dir.file("key");
  std::vector<AnonKey> keys(8);
  std::vector<std::thread> threads;
  for (auto& key : keys) threads.emplace_back([&key, &path] { key = load_or_create_key(path); });
  for (auto& thread : threads) thread.join();
  for (const auto& key : keys) CHECK(key.bytes == keys[0].bytes);
  int files = 0;
  for ([[maybe_unused]] auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);  // no temporary left behind
}

TEST_CASE("a missing, short, shared or non-regular key is refused as a bad key") {
  test::TempDir dir;
  CHECK(code_of([&] { load_key(dir.file("missing")); }) == ExitCode::bad_key);
  test::write_file(dir.file("short"), test::Bytes(31, 1));
  chmod(dir.file("short").c_str(), 0600);
  CHECK(code_of([&] { load_or_create_key(dir.file("short")); }) == ExitCode::bad_key);
  test::write_file(dir.file("shared"), test::Bytes(32, 1));
  chmod(dir.file("shared").c_str(), 0644);
  try {
    load_key(dir.file("shared"));
    FAIL("a group-readable key was accepted");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::bad_key);
    CHECK(std::string(e.what()).find("chmod 600 " + dir.file("shared")) != std::string::npos);
  }
  CHECK(code_of([&] { load_or_create_key(dir.path()); }) == ExitCode::bad_key);
  REQUIRE(mkfifo(dir.file("fifo").c_str(), 0600) == 0);
  CHECK(code_of([&] { load_key(dir.file("fifo")); }) == ExitCode::bad_key);
}

TEST_CASE("key_id is 16 hex digits that tell keys apart") {
  AnonKey a, b;
  b.bytes[0] = 1;
  std::string id = key_id(a);
  CHECK(id.size() == 16);
  CHECK(id.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(key_id(a) == id);
  CHECK(key_id(b) != id);
}

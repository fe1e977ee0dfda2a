#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "capture/retention.h"
#include "common/errors.h"
#include "temp_dir.h"

using namespace pktmask;

namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kNow = 1'700'000'000;

// Ten files of 100 bytes, one a day, the newest captured now.
std::vector<StoredFile> ten_days() {
  std::vector<StoredFile> files;
  for (int i = 0; i < 10; ++i) {
    std::string name = "f";  // not "f" + ...: GCC 12 -O3 warns falsely (-Wrestrict)
    name += std::to_string(i);
    files.push_back({name, 100, kNow - (9 - i) * kDay});
  }
  return files;
}

std::vector<std::string> paths(const std::vector<StoredFile>& files) {
  std::vector<std::string> out;
  for (const StoredFile& file : files) out.push_back(file.path);
  return out;
}

void write_sized(const std::string& path, size_t size, int64_t mtime) {
  std::ofstream(path) << std::string(size, 'x');
  const struct timespec times[2] = {{mtime, 0}, {mtime, 0}};
  REQUIRE(::utimensat(AT_FDCWD, path.c_str(), times, 0) == 0);
}

}  // namespace

TEST_CASE("plan_retention with no limits or no files removes nothing") {
  CHECK(plan_retention(ten_days(), {}, kNow, 0).remove.empty());
  RetentionPolicy all{1.0, 1, 1000};
  RetentionPlan plan = plan_retention({}, {1.0, 1, std::nullopt}, kNow, 0);
  CHECK(plan.remove.empty());
  CHECK(plan.unmet.empty());
  // With nothing left to delete, a free-space shortfall is still reported.
  CHECK_FALSE(plan_retention({}, all, kNow, 0).unmet.empty());
}

TEST_CASE("plan_retention's age limit removes files older than the cutoff, oldest first") {
  RetentionPolicy policy;
  policy.retain_days = 3.5;
  RetentionPlan plan = plan_retention(ten_days(), policy, kNow, 0);
  CHECK(paths(plan.remove) == std::vector<std::string>{"f0", "f1", "f2", "f3", "f4", "f5"});
  CHECK(plan.unmet.empty());
}

TEST_CASE("plan_retention's age limit removes the newest too when it is itself too old") {
  RetentionPolicy policy;
  policy.retain_days = 1;
  RetentionPlan plan = plan_retention(ten_days(), policy, kNow + 2 * kDay, 0);
  CHECK(plan.remove.size() == 10);
  CHECK(plan.unmet.empty());
}

TEST_CASE("plan_retention's disk limit deletes in a batch down to 90%") {
  RetentionPolicy policy;
  policy.max_disk = 1000;
  CHECK(plan_retention(ten_days(), policy, kNow, 0).remove.empty());  // exactly at the limit
  policy.max_disk = 950;                                              // total 1000: delete down to 855, i.e. two files
  RetentionPlan plan = plan_retention(ten_days(), policy, kNow, 0);
  CHECK(paths(plan.remove) == std::vector<std::string>{"f0", "f1"});
  CHECK(plan.unmet.empty());
}

TEST_CASE("plan_retention's free-space limit deletes in a batch up to min_free plus 10%") {
  RetentionPolicy policy;
  policy.min_free = 1000;
  CHECK(plan_retention(ten_days(), policy, kNow, 1000).remove.empty());
  RetentionPlan plan = plan_retention(ten_days(), policy, kNow, 950);  // needs 1100: two files
  CHECK(paths(plan.remove) == std::vector<std::string>{"f0", "f1"});
  CHECK(plan.unmet.empty());
}

TEST_CASE("plan_retention counts files the age limit removed towards free space and total size") {
  RetentionPolicy policy;
  policy.retain_days = 7.5;  // removes f0, f1
  policy.max_disk = 850;
  policy.min_free = 1000;
  RetentionPlan plan = plan_retention(ten_days(), policy, kNow, 900);  // 1100 free after the age limit
  CHECK(paths(plan.remove) == std::vector<std::string>{"f0", "f1"});
  CHECK(plan.unmet.empty());
}

TEST_CASE("plan_retention never removes the newest file for size or free space and says so") {
  std::vector<StoredFile> files = ten_days();
  RetentionPolicy policy;
  policy.max_disk = 50;
  RetentionPlan plan = plan_retention(files, policy, kNow, 0);
  CHECK(plan.remove.size() == 9);
  CHECK(plan.remove.back().path == "f8");
  CHECK_FALSE(plan.unmet.empty());
  CHECK(plan.unmet.find('\n') == std::string::npos);

  RetentionPolicy free_policy;
  free_policy.min_free = 10'000;
  RetentionPlan free_plan = plan_retention(files, free_policy, kNow, 0);
  CHECK(free_plan.remove.size() == 9);
  CHECK_FALSE(free_plan.unmet.empty());

  RetentionPlan single = plan_retention({files.back()}, policy, kNow, 0);
  CHECK(single.remove.empty());
  CHECK_FALSE(single.unmet.empty());
}

TEST_CASE("plan_retention leaves unmet empty when the low-water mark is out of reach but the limit is met") {
  RetentionPolicy policy;
  policy.max_disk = 105;  // low water 95, only reachable by deleting the newest
  RetentionPlan plan = plan_retention({{"a", 10, 1}, {"b", 100, 2}}, policy, kNow, 0);
  CHECK(paths(plan.remove) == std::vector<std::string>{"a"});
  CHECK(plan.unmet.empty());
}

TEST_CASE("list_stored lists matching regular files oldest first, skipping dotfiles and others") {
  test::TempDir dir;
  write_sized(dir.file("seg-000002.pcap"), 20, 2000);
  write_sized(dir.file("seg-000001.pcap.gz"), 10, 1000);
  write_sized(dir.file("seg-000003.pcap"), 30, 2000);  // same mtime as 000002: name decides
  write_sized(dir.file(".seg-000004.pcap.pktmask-abc123"), 40, 500);
  write_sized(dir.file("notes.txt"), 5, 100);
  std::filesystem::create_directory(dir.file("seg-000009.pcap"));
  std::filesystem::create_symlink(dir.file("seg-000002.pcap"), dir.file("seg-000010.pcap"));

  std::vector<StoredFile> files = list_stored(dir.path(), {"seg-*.pcap*"});
  REQUIRE(files.size() == 3);
  CHECK(files[0].path == dir.file("seg-000001.pcap.gz"));
  CHECK(files[0].size == 10);
  CHECK(files[0].mtime == 1000);
  CHECK(files[1].path == dir.file("seg-000002.pcap"));
  CHECK(files[2].path == dir.file("seg-000003.pcap"));
  CHECK(files[2].size == 30);
}

TEST_CASE("list_stored and free_space fail with output_failed naming the directory") {
  try {
    list_stored("/nonexistent/pktmask-dir", {"*"});
    FAIL("no exception");
  } catch (const Error& e) {
    CHECK(e.code() == ExitCode::output_failed);
    CHECK(std::string(e.what()).find("/nonexistent/pktmask-dir") != std::string::npos);
  }
  CHECK_THROWS_AS(free_space("/nonexistent/pktmask-dir"), Error);
  CHECK(free_space(std::filesystem::temp_directory_path().string()) > 0);
}

TEST_CASE("plan_retention: file_rotate_count keeps the newest N, and a batch caps one plan") {
  RetentionPolicy count{.max_files = 3};
  CHECK(paths(plan_retention(ten_days(), count, kNow, 0).remove) ==
        std::vector<std::string>{"f0", "f1", "f2", "f3", "f4", "f5", "f6"});
  count.batch = 4;
  CHECK(paths(plan_retention(ten_days(), count, kNow, 0).remove) == std::vector<std::string>{"f0", "f1", "f2", "f3"});
  // A capped plan says nothing about unmet limits: the next pass looks again.
  RetentionPolicy space{.min_free = 100'000, .batch = 2};
  RetentionPlan plan = plan_retention(ten_days(), space, kNow, 0);
  CHECK(plan.remove.size() == 2);
  CHECK(plan.unmet.empty());
  space.batch = 0;
  plan = plan_retention(ten_days(), space, kNow, 0);
  CHECK(plan.remove.size() == 9);  // never the newest
  CHECK_FALSE(plan.unmet.empty());
}

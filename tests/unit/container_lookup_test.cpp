#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "capture/container_lookup.h"
#include "common/errors.h"
#include "temp_dir.h"

using namespace pktmask;

namespace {

const std::string kId = "3f2a9c81d0e4" + std::string(52, 'b');
const std::string kOther = "3f2a9c81d0e4" + std::string(52, 'c');

// A /proc entry: PID with parent PPID, in cgroup PATH (cgroup v2 line).
void add_process(const test::TempDir& proc, int pid, int parent, const std::string& path) {
  std::filesystem::path dir = std::filesystem::path(proc.path()) / std::to_string(pid);
  std::filesystem::create_directory(dir);
  std::ofstream(dir / "cgroup") << "0::" << path << "\n";
  std::ofstream(dir / "stat") << pid << " (a (b) c) S " << parent << " 1 1 0\n";
}

ExitCode lookup_failure(const std::string& id, const test::TempDir& proc) {
  try {
    find_container_init(id, proc.path());
  } catch (const Error& e) {
    return e.code();
  }
  return ExitCode::ok;
}

}  // namespace

TEST_CASE("container_id_in_cgroup reads the runtimes' cgroup names") {
  CHECK(container_id_in_cgroup("/system.slice/docker-" + kId + ".scope") == kId);
  CHECK(container_id_in_cgroup("/docker/" + kId) == kId);
  CHECK(container_id_in_cgroup("/kubepods.slice/kubepods-pod1.slice/cri-containerd-" + kId + ".scope") == kId);
  CHECK(container_id_in_cgroup("/machine.slice/libpod-" + kId + ".scope/container") == kId);
  CHECK(container_id_in_cgroup("/kubepods/burstable/pod1/" + kId) == kId);
}

TEST_CASE("container_id_in_cgroup ignores what is not a container's") {
  CHECK_FALSE(container_id_in_cgroup("/user.slice/user-0.slice/session-1.scope"));
  CHECK_FALSE(container_id_in_cgroup("/machine.slice/libpod-conmon-" + kId + ".scope"));
  CHECK_FALSE(container_id_in_cgroup("/docker/" + kId.substr(0, 63)));
  CHECK_FALSE(container_id_in_cgroup("/"));
}

TEST_CASE("find_container_init picks the process whose parent is outside") {
  test::TempDir proc;
  add_process(proc, 900, 1, "/system.slice/containerd.service");
  add_process(proc, 950, 900, "/system.slice/docker-" + kId + ".scope");
  add_process(proc, 960, 950, "/system.slice/docker-" + kId + ".scope");
  add_process(proc, 940, 950, "/system.slice/docker-" + kId + ".scope/child");  // an older pid, but a child
  CHECK(find_container_init(kId.substr(0, 12), proc.path()) == 950);
  CHECK(find_container_init(kId, proc.path()) == 950);
}

TEST_CASE("find_container_init refuses unknown, malformed and ambiguous ids") {
  test::TempDir proc;
  add_process(proc, 950, 1, "/docker/" + kId);
  CHECK(lookup_failure(std::string(64, 'd'), proc) == ExitCode::start_process_not_found);
  CHECK(lookup_failure("3f2a9c81d0e", proc) == ExitCode::start_invalid_params);  // 11 digits
  CHECK(lookup_failure("3f2a9c81d0eg", proc) == ExitCode::start_invalid_params);
  add_process(proc, 970, 1, "/docker/" + kOther);
  CHECK(lookup_failure("3f2a9c81d0e4", proc) == ExitCode::start_invalid_params);
  CHECK(find_container_init(kOther.substr(0, 13), proc.path()) == 970);
}

#include "capture/container_lookup.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask {

namespace {

constexpr size_t kIdDigits = 64;
constexpr size_t kMinPrefix = 12;
constexpr std::array<std::string_view, 5> kScopePrefixes = {"docker-", "cri-containerd-", "libpod-", "crio-",
                                                            "containerd-"};

bool is_hex(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

// "docker-ID.scope" or "ID" -> ID.
std::optional<std::string> id_of_component(std::string_view component) {
  if (component.ends_with(".scope")) {
    component.remove_suffix(6);
    auto prefix = std::find_if(kScopePrefixes.begin(), kScopePrefixes.end(),
                               [&](std::string_view p) { return component.starts_with(p); });
    if (prefix == kScopePrefixes.end()) return std::nullopt;
    component.remove_prefix(prefix->size());
  }
  if (component.size() != kIdDigits || !is_hex(component)) return std::nullopt;
  std::string id(component);
  std::transform(id.begin(), id.end(), id.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
  return id;
}

// Every container id named in /proc/PID/cgroup (one per hierarchy line).
std::set<std::string> containers_of(const std::filesystem::path& process) {
  std::set<std::string> ids;
  std::ifstream in(process / "cgroup");
  for (std::string line; std::getline(in, line);) {
    // hierarchy-id:controllers:path
    size_t path = line.find(':', line.find(':') + 1);
    if (path == std::string::npos) continue;
    if (auto id = container_id_in_cgroup(std::string_view(line).substr(path + 1))) ids.insert(*id);
  }
  return ids;
}

// The parent pid, from /proc/PID/stat: "pid (comm) state ppid ...", where
// comm may hold spaces and parentheses.
pid_t parent_of(const std::filesystem::path& process) {
  std::ifstream in(process / "stat");
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  size_t end_of_comm = stat.rfind(')');
  if (end_of_comm == std::string::npos) return 0;
  std::istringstream fields(stat.substr(end_of_comm + 1));
  std::string state;
  pid_t parent = 0;
  fields >> state >> parent;
  return parent;
}

std::optional<pid_t> pid_of(const std::string& name) {
  pid_t pid = 0;
  auto [end, error] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (error != std::errc() || end != name.data() + name.size() || pid <= 0) return std::nullopt;
  return pid;
}

}  // namespace

std::optional<std::string> container_id_in_cgroup(std::string_view cgroup_path) {
  std::optional<std::string> innermost;
  while (!cgroup_path.empty()) {
    size_t slash = cgroup_path.find('/');
    if (auto id = id_of_component(cgroup_path.substr(0, slash))) innermost = id;
    cgroup_path = slash == std::string_view::npos ? std::string_view() : cgroup_path.substr(slash + 1);
  }
  return innermost;
}

pid_t find_container_init(const std::string& given, const std::string& proc) {
  std::string id = given;
  std::transform(id.begin(), id.end(), id.begin(), [](char c) { return static_cast<char>(std::tolower(c)); });
  if (id.size() < kMinPrefix || id.size() > kIdDigits || !is_hex(id))
    throw Error(ExitCode::start_invalid_params,
                fmt::format("--container {}: not a container id (12 to 64 hex digits)", given));
  // Container id -> its processes, each with its parent.
  std::map<std::string, std::map<pid_t, pid_t>> matches;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(proc, error)) {
    auto pid = pid_of(entry.path().filename().string());
    if (!pid) continue;
    for (const std::string& container : containers_of(entry.path()))
      if (container.starts_with(id)) matches[container][*pid] = parent_of(entry.path());
  }
  if (matches.empty())
    throw Error(ExitCode::start_process_not_found, fmt::format("--container {}: no process runs in it", given));
  if (matches.size() > 1)
    throw Error(ExitCode::start_invalid_params,
                fmt::format("--container {}: ambiguous, {} containers start with it", given, matches.size()));
  const std::map<pid_t, pid_t>& processes = matches.begin()->second;
  for (const auto& [pid, parent] : processes)
    if (!processes.contains(parent)) return pid;  // the lowest pid whose parent is outside
  return processes.begin()->first;
}

}  // namespace pktmask

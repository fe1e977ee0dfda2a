#include "cli/path_clash.h"

#include <sys/stat.h>

#include <filesystem>
#include <map>

#include <fmt/format.h>
#include <CLI/CLI.hpp>

#include "common/errors.h"
#include "common/output_target.h"

namespace pktmask::cli {

namespace {

namespace fs = std::filesystem;

struct Identity {
  std::string key;
  bool in_place = false;  // an existing file that is not a regular one
};

Identity identify(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) return {fmt::format("file {}:{}", st.st_dev, st.st_ino), !S_ISREG(st.st_mode)};
  std::error_code error;
  fs::path normal = fs::weakly_canonical(fs::absolute(path), error);
  return {"path " + (error ? fs::absolute(path).lexically_normal() : normal).string()};
}

bool given(const NamedPath& named) { return !named.path.empty() && named.path != "-"; }

}  // namespace

void refuse_shared_stdout(const std::vector<NamedPath>& outputs) {
  const NamedPath* first = nullptr;
  for (const NamedPath& output : outputs) {
    if (output.path != "-") continue;
    if (first != nullptr) throw CLI::ValidationError(output.role, "cannot share stdout with " + first->role);
    first = &output;
  }
}

void refuse_clashing_paths(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs) {
  std::map<std::string, const NamedPath*> input_at, output_at;
  for (const NamedPath& input : inputs)
    if (given(input)) input_at.emplace(identify(input.path).key, &input);
  for (const NamedPath& output : outputs) {
    if (!given(output)) continue;
    Identity id = identify(output.path);
    if (auto input = input_at.find(id.key); input != input_at.end())
      throw Error(ExitCode::usage, fmt::format("{}: {} would write over {} ({}); choose another output", output.path,
                                               output.role, input->second->role, input->second->path));
    if (id.in_place) continue;
    auto [earlier, added] = output_at.emplace(id.key, &output);
    if (!added)
      throw Error(ExitCode::usage, fmt::format("{}: both {} and {} would be written here", output.path,
                                               earlier->second->role, output.role));
  }
}

void check_paths(const std::vector<NamedPath>& inputs, const std::vector<NamedPath>& outputs) {
  refuse_clashing_paths(inputs, outputs);
  for (const NamedPath& output : outputs)
    if (given(output)) output_kind(output.path);
}

}  // namespace pktmask::cli

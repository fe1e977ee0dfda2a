#include "cli/batch_files.h"

#include <algorithm>
#include <cctype>
#include <string>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask::cli {

namespace fs = std::filesystem;

namespace {

std::string lower_extension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

bool is_compression_suffix(const std::string& extension) { return extension == ".gz" || extension == ".zst"; }

}  // namespace

fs::path output_name(const fs::path& input) {
  return is_compression_suffix(lower_extension(input)) ? fs::path(input).replace_extension() : input;
}

bool is_capture_name(const fs::path& path) {
  std::string extension = lower_extension(output_name(path));
  return extension == ".pcap" || extension == ".pcapng" || extension == ".cap";
}

std::vector<fs::path> captures_in(const fs::path& dir, bool recursive, const fs::path& skip) {
  std::vector<fs::path> found;
  try {
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
      std::error_code not_there;
      if (it->is_directory()) {
        if (!recursive || fs::equivalent(it->path(), skip, not_there)) it.disable_recursion_pending();
      } else if (it->is_regular_file() && is_capture_name(it->path())) {
        found.push_back(it->path().lexically_relative(dir));
      }
    }
  } catch (const fs::filesystem_error& e) {
    throw Error(ExitCode::bad_capture, fmt::format("{}: cannot list: {}", e.path1().string(), e.code().message()));
  }
  std::sort(found.begin(), found.end());
  return found;
}

}  // namespace pktmask::cli

#include "config/capture_config.h"

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

#include <fmt/format.h>
#include <toml++/toml.h>

#include "common/errors.h"

namespace pktmask {

namespace {

enum class Kind {
  text,     // a string
  integer,  // a whole number
  number,   // a whole or decimal number
  size,     // bytes as an integer, or a string with a unit ("100M", as the option takes)
  scaled,   // a number in `unit` bytes, handed on as whole bytes
};

struct Key {
  std::string_view name;
  Kind kind;
  std::string_view option = {};  // default: "--" and the name with '-' for '_'
  double unit = 1;
};

// Every key the section takes: checked here by type, and by its option for
// the rest.
constexpr Key kKeys[] = {
    {"interface", Kind::text},
    {"output_dir", Kind::text},
    {"name", Kind::text},
    {"raw_dir", Kind::text},
    {"filter", Kind::text},
    {"snaplen", Kind::integer},
    {"rotate_size", Kind::size},
    {"rotate_seconds", Kind::integer},
    {"rotate_packets", Kind::integer},
    {"duration", Kind::number},
    {"max_bytes", Kind::size},
    {"max_packets", Kind::integer},
    {"max_backlog", Kind::integer},
    {"flow_timeout", Kind::number},
    {"events", Kind::text},
    {"stats", Kind::text},
    {"compress", Kind::text},
    {"compress_level", Kind::integer},
    {"compress_threshold_mb", Kind::scaled, "--compress-threshold", 1e6},
    {"retain_days", Kind::number},
    {"disk_threshold_gb", Kind::scaled, "--disk-threshold", 1e9},
    {"max_disk_gb", Kind::scaled, "--max-disk", 1e9},
    {"clean_batch_size", Kind::integer},
    {"file_rotate_count", Kind::integer},
    {"heartbeat", Kind::number},
    {"key_name", Kind::text},
    {"hold_seconds", Kind::number},
    {"buffer_size", Kind::size},
    {"metrics_file", Kind::text},
    {"metrics_listen", Kind::text},
    {"stop_timeout", Kind::number},
    {"time_precision", Kind::text},
    {"netns", Kind::text},
    {"pid", Kind::integer},
    {"container", Kind::text},
};

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw Error(ExitCode::bad_config, fmt::format("{}: {}", where, what));
}

const Key* find_key(std::string_view name) {
  for (const Key& key : kKeys)
    if (key.name == name) return &key;
  return nullptr;
}

std::string option_of(const Key& key) {
  if (!key.option.empty()) return std::string(key.option);
  std::string option = "--" + std::string(key.name);
  for (char& c : option)
    if (c == '_') c = '-';
  return option;
}

std::string number_text(double value) {
  return value == std::floor(value) && std::fabs(value) < 1e18 ? fmt::format("{}", static_cast<int64_t>(value))
                                                               : fmt::format("{}", value);
}

std::optional<double> number(const toml::node& value) {
  if (value.is_integer()) return static_cast<double>(*value.value<int64_t>());
  if (value.is_floating_point()) return *value.value<double>();
  return std::nullopt;
}

// The value as its option takes it, or nothing when its type is wrong.
std::optional<std::string> value_text(const Key& key, const toml::node& value) {
  switch (key.kind) {
    case Kind::text:
      if (value.is_string()) return std::string(*value.value<std::string_view>());
      return std::nullopt;
    case Kind::integer:
      if (value.is_integer()) return std::to_string(*value.value<int64_t>());
      return std::nullopt;
    case Kind::number:
      if (auto n = number(value)) return number_text(*n);
      return std::nullopt;
    case Kind::size:
      if (value.is_integer()) return std::to_string(*value.value<int64_t>());
      if (value.is_string()) return std::string(*value.value<std::string_view>());
      return std::nullopt;
    case Kind::scaled:
      if (auto n = number(value)) return number_text(std::round(*n * key.unit));
      return std::nullopt;
  }
  return std::nullopt;
}

const char* type_expected(Kind kind) {
  switch (kind) {
    case Kind::text:
      return "a string";
    case Kind::integer:
      return "an integer";
    case Kind::number:
    case Kind::scaled:
      return "a number";
    case Kind::size:
      return "an integer (bytes) or a string with a unit (\"100M\")";
  }
  return "a value";
}

int64_t mtime_usec(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    bad(path, fmt::format("cannot read the configuration file: {}", std::strerror(errno)));
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000 + st.st_mtim.tv_nsec / 1000;
}

}  // namespace

std::vector<CaptureConfigEntry> parse_capture_config(std::string_view text, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    bad(fmt::format("{}:{}", path, e.source().begin.line), fmt::format("not valid TOML: {}", e.description()));
  }
  const toml::node* section = table.get("capture");
  if (section == nullptr) return {};
  if (!section->is_table())
    bad(fmt::format("{}:{}: capture", path, section->source().begin.line), "must be a section: [capture]");
  std::vector<CaptureConfigEntry> entries;
  for (const auto& [name, value] : *section->as_table()) {
    std::string where = fmt::format("{}:{}: {}", path, name.source().begin.line, name.str());
    const Key* key = find_key(name.str());
    if (key == nullptr) bad(where, "unknown key in [capture] (docs/capture.md, \"Configuration\", lists them)");
    std::optional<std::string> text_value = value_text(*key, value);
    if (!text_value) bad(where, fmt::format("must be {}", type_expected(key->kind)));
    entries.push_back({std::string(key->name), option_of(*key), *text_value, where});
  }
  return entries;
}

CaptureConfig read_capture_config(const std::string& path) {
  int64_t mtime = mtime_usec(path);
  std::ifstream file(path, std::ios::binary);
  std::ostringstream text;
  if (file) text << file.rdbuf();
  if (!file || file.bad()) bad(path, "cannot read the configuration file");
  return {parse_capture_config(text.str(), path), mtime};
}

}  // namespace pktmask

#include "capture/segment_name.h"

#include <algorithm>

#include <ctime>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask {

namespace {

enum class Field { literal, index, time, id, ext };

struct Piece {
  Field field = Field::literal;
  std::string text;  // only for literal
};

[[noreturn]] void bad_template(const std::string& tmpl, const std::string& why) {
  throw Error(ExitCode::usage, fmt::format("--name: {}: {}", tmpl, why));
}

Field field_named(const std::string& tmpl, const std::string& name) {
  if (name == "index") return Field::index;
  if (name == "time") return Field::time;
  if (name == "id") return Field::id;
  if (name == "ext") return Field::ext;
  bad_template(tmpl, fmt::format("unknown placeholder {{{}}} (use {{index}}, {{time}}, {{id}}, {{ext}})", name));
}

// The one parser behind checking, naming and globbing, so the three cannot
// disagree about what a template means.
std::vector<Piece> parse(const std::string& tmpl) {
  if (tmpl.empty()) bad_template(tmpl, "empty name");
  std::vector<Piece> pieces;
  size_t pos = 0;
  while (pos < tmpl.size()) {
    size_t open = tmpl.find('{', pos);
    if (open != pos) {
      std::string text = tmpl.substr(pos, open - pos);
      if (text.find('/') != std::string::npos) bad_template(tmpl, "'/' is not allowed");
      pieces.push_back({Field::literal, std::move(text)});
      if (open == std::string::npos) break;
    }
    size_t close = tmpl.find('}', open);
    if (close == std::string::npos) bad_template(tmpl, "'{' without a closing '}'");
    pieces.push_back({field_named(tmpl, tmpl.substr(open + 1, close - open - 1)), {}});
    pos = close + 1;
  }
  return pieces;
}

std::string utc_time(int64_t time_us) {
  int64_t seconds = time_us / 1000000;
  if (time_us % 1000000 < 0) --seconds;  // round toward the past before 1970 too
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (::gmtime_r(&t, &tm) == nullptr) return "invalid-time";
  char text[32];
  size_t n = std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &tm);
  return std::string(text, n);
}

}  // namespace

void check_name_template(const std::string& tmpl) {
  std::vector<Piece> pieces = parse(tmpl);
  // Without the index two segments could get one name, the second replacing the first.
  if (std::ranges::none_of(pieces, [](const Piece& piece) { return piece.field == Field::index; }))
    throw Error(ExitCode::usage, "--name: needs {index}, or one segment's file would replace another's");
  if (tmpl.starts_with('.'))
    throw Error(ExitCode::usage, "--name: must not start with '.' (hidden files are temporaries)");
}

std::string segment_name(const std::string& tmpl, uint64_t index, int64_t time_us, const std::string& id,
                         const std::string& ext) {
  std::string name;
  for (const Piece& piece : parse(tmpl)) {
    switch (piece.field) {
      case Field::literal:
        name += piece.text;
        break;
      case Field::index:
        name += fmt::format("{:06}", index);
        break;
      case Field::time:
        name += utc_time(time_us);
        break;
      case Field::id:
        name += id;
        break;
      case Field::ext:
        name += ext;
        break;
    }
  }
  return name;
}

std::string segment_glob(const std::string& tmpl) {
  std::string glob;
  bool ends_in_star = false;
  for (const Piece& piece : parse(tmpl)) {
    if (piece.field == Field::literal) {
      for (char c : piece.text) {
        // A backslash too: fnmatch reads "\x" as a plain "x".
        if (c == '[' || c == ']' || c == '?' || c == '*' || c == '\\') glob += '\\';
        glob += c;
      }
      ends_in_star = false;
    } else {
      glob += piece.field == Field::ext ? "pcap*" : "*";
      ends_in_star = true;
    }
  }
  if (!ends_in_star) glob += '*';
  return glob;
}

namespace {

constexpr std::string_view kExtEnding = ".{ext}";

}  // namespace

std::string archive_name(const std::string& tmpl, const std::string& first_segment, const std::string& suffix) {
  std::string name = first_segment;
  if (tmpl.ends_with(kExtEnding))
    for (std::string_view ext : {".pcapng", ".pcap"})
      if (name.ends_with(ext)) {
        name.resize(name.size() - ext.size());
        break;
      }
  return name + suffix;
}

std::string archive_glob(const std::string& tmpl, const std::string& suffix) {
  if (!tmpl.ends_with(kExtEnding)) return segment_glob(tmpl);
  return segment_glob(tmpl.substr(0, tmpl.size() - kExtEnding.size())) + suffix;
}

}  // namespace pktmask

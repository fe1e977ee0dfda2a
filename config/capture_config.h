#pragma once
// The [capture] section of a configuration file (`capture --config FILE`):
// the capture's own settings, beside the masking policy's keys at the top
// level. Each key stands for one of capture's command-line options and is
// handed to it as text, so the file and the command line are checked by the
// same code. docs/capture.md, "Configuration".

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pktmask {

struct CaptureConfigEntry {
  std::string key;     // as in the file
  std::string option;  // the option it stands for: "--rotate-size"
  std::string text;    // the value as that option takes it
  std::string where;   // "FILE:LINE: key", to begin a message about it
};

struct CaptureConfig {
  std::vector<CaptureConfigEntry> entries;
  int64_t mtime_usec = 0;  // of the file
};

// Throws Error(bad_config) with one line "FILE:LINE: key: what is wrong" for
// an unknown key or a value of the wrong type (or "FILE: ..." when the file
// cannot be read). A file without a [capture] section has no entries.
CaptureConfig read_capture_config(const std::string& path);
// The same for text already read; `path` names it in messages.
std::vector<CaptureConfigEntry> parse_capture_config(std::string_view text, const std::string& path);

}  // namespace pktmask

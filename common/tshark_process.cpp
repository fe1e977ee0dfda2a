#include "common/tshark_process.h"

#include <regex>
#include <system_error>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask {

namespace {

constexpr int kMinMajor = 3;
constexpr int kMinMinor = 6;

ChildProcess start_tshark(const std::string& binary, const std::vector<std::string>& arguments) {
  try {
    return ChildProcess({.program = binary, .arguments = arguments, .stream_stdout = true});
  } catch (const std::system_error& e) {
    throw Error(ExitCode::tshark_failed,
                e.code() == std::errc::no_such_file_or_directory
                    ? fmt::format("{}: not found (install Debian's tshark package or pass --tshark PATH)", binary)
                    : fmt::format("{}: cannot start: {}", binary, e.code().message()));
  }
}

}  // namespace

TsharkProcess::TsharkProcess(const std::string& binary, const std::vector<std::string>& arguments)
    : binary_(binary), child_(start_tshark(binary, arguments)) {}

// The start of tshark's stderr: enough for its error, however chatty its warnings.
std::string TsharkProcess::error_output() const { return child_.stderr_text(4096); }

bool TsharkProcess::error_mentions(std::string_view text) const {
  return error_output().find(text) != std::string::npos;
}

std::string TsharkProcess::error_text() const {
  std::string message = error_output();
  for (size_t at = 0; at < message.size();) {  // first line that is not tshark's "running as root" warning
    size_t end = message.find('\n', at);
    std::string line = message.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (!line.empty() && line.find("Running as user") == std::string::npos) return line;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return "";
}

void TsharkProcess::finish() {
  ChildExit exit = child_.wait();
  if (!exit.signaled && exit.number == 0) return;
  std::string detail = error_text();
  std::string how = exit.signaled ? fmt::format("killed by signal {}", exit.number)
                                  : fmt::format("exited with status {}", exit.number);
  throw Error(ExitCode::tshark_failed, fmt::format("{}: {}{}{}", binary_, how, detail.empty() ? "" : ": ", detail));
}

std::string check_tshark_version(const std::string& binary) {
  TsharkProcess process(binary, {"--version"});
  std::string line, first;
  while (process.read_line(line))
    if (first.empty()) first = line;
  process.finish();
  std::smatch match;
  static const std::regex kVersion(R"(TShark \(Wireshark\) (\d+)\.(\d+)\.(\d+))");
  if (!std::regex_search(first, match, kVersion))
    throw Error(ExitCode::tshark_failed, fmt::format("{}: not tshark? --version said \"{}\"", binary, first));
  int major = std::stoi(match[1]), minor = std::stoi(match[2]);
  if (major < kMinMajor || (major == kMinMajor && minor < kMinMinor))
    throw Error(ExitCode::tshark_failed, fmt::format("{}: version {}.{} is too old (need {}.{} or newer)", binary,
                                                     major, minor, kMinMajor, kMinMinor));
  return fmt::format("{}.{}.{}", major, minor, match[3].str());
}

}  // namespace pktmask

#include "marker/tshark_process.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <regex>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/interrupt.h"
#include "common/unnamed_file.h"

extern char** environ;

namespace pktmask {

namespace {

constexpr int kMinMajor = 3;
constexpr int kMinMinor = 6;

}  // namespace

TsharkProcess::TsharkProcess(const std::string& binary, const std::vector<std::string>& arguments)
    : binary_(binary), buffer_(1 << 20) {
  int pipe_fds[2];
  if (::pipe2(pipe_fds, O_CLOEXEC) != 0) throw Error(ExitCode::internal, "cannot create a pipe for tshark");
  err_fd_ = create_unnamed_file(false);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  if (err_fd_ >= 0) posix_spawn_file_actions_adddup2(&actions, err_fd_, STDERR_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>(binary.c_str()));
  for (const std::string& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  int spawned = ::posix_spawnp(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(pipe_fds[1]);
  out_fd_ = pipe_fds[0];
  if (spawned != 0) {
    pid_ = -1;
    throw Error(ExitCode::tshark_failed,
                spawned == ENOENT
                    ? fmt::format("{}: not found (install Debian's tshark package or pass --tshark PATH)", binary)
                    : fmt::format("{}: cannot start: {}", binary, std::strerror(spawned)));
  }
}

TsharkProcess::~TsharkProcess() {
  if (out_fd_ >= 0) ::close(out_fd_);
  if (err_fd_ >= 0) ::close(err_fd_);
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
  }
}

bool TsharkProcess::read_line(std::string& line) {
  for (;;) {
    char* start = buffer_.data() + begin_;
    if (void* newline = std::memchr(start, '\n', end_ - begin_)) {
      size_t length = static_cast<size_t>(static_cast<char*>(newline) - start);
      line.assign(start, length);
      begin_ += length + 1;
      return true;
    }
    if (eof_) {
      if (begin_ == end_) return false;
      line.assign(start, end_ - begin_);
      begin_ = end_;
      return true;
    }
    if (begin_ > 0) {
      std::memmove(buffer_.data(), start, end_ - begin_);
      end_ -= begin_;
      begin_ = 0;
    }
    if (end_ == buffer_.size()) buffer_.resize(buffer_.size() * 2);
    ssize_t got = ::read(out_fd_, buffer_.data() + end_, buffer_.size() - end_);
    if (got < 0 && errno == EINTR) {
      throw_if_interrupted();
      continue;
    }
    if (got <= 0)
      eof_ = true;
    else
      end_ += static_cast<size_t>(got);
  }
}

// The start of tshark's stderr: enough for its error, however chatty its warnings.
std::string TsharkProcess::error_output() const {
  if (err_fd_ < 0) return "";
  char text[4096];
  ssize_t got = ::pread(err_fd_, text, sizeof text, 0);
  return std::string(text, got > 0 ? static_cast<size_t>(got) : 0);
}

bool TsharkProcess::error_mentions(std::string_view text) const {
  return error_output().find(text) != std::string::npos;
}

std::string TsharkProcess::error_text() const {
  std::string message = error_output();
  std::string first;
  for (size_t at = 0; at < message.size();) {  // first line that is not tshark's "running as root" warning
    size_t end = message.find('\n', at);
    std::string line = message.substr(at, end == std::string::npos ? std::string::npos : end - at);
    if (!line.empty() && line.find("Running as user") == std::string::npos) return line;
    if (end == std::string::npos) break;
    at = end + 1;
  }
  return first;
}

void TsharkProcess::finish() {
  int status = 0;
  while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  throw_if_interrupted();
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return;
  std::string detail = error_text();
  std::string how = WIFEXITED(status) ? fmt::format("exited with status {}", WEXITSTATUS(status))
                                      : fmt::format("killed by signal {}", WTERMSIG(status));
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

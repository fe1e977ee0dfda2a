#include "capture/events.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/output_target.h"

namespace pktmask {

namespace {

[[noreturn]] void unwritable(const std::string& path, const std::string& why) {
  throw Error(ExitCode::events_unwritable, fmt::format("{}: cannot open the event log: {}", path, why));
}

// Appended to, so never replaced: a regular file is opened without
// following a link, and only if it is ours (root appending to a file someone
// else planted in a shared directory would write where they chose). A
// device or FIFO is written in place, as any output (output_target.h).
int open_events(const std::string& path) {
  try {
    if (output_kind(path) == OutputKind::in_place) return open_in_place(path, O_APPEND);
  } catch (const Error& e) {
    throw Error(ExitCode::events_unwritable, e.what());
  }
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC, 0666);
  if (fd < 0) unwritable(path, errno == ELOOP ? "is a symbolic link" : std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_uid != ::geteuid()) {
    ::close(fd);
    unwritable(path, fmt::format("not a regular file owned by user {}", ::geteuid()));
  }
  return fd;
}

}  // namespace

nlohmann::json to_event(const Message& message) {
  nlohmann::json event = {{"time_us", message.time_us},
                          {"capture_id", message.capture_id},
                          {"source", actor_name(message.from)},
                          {"version", message.version},
                          {"event", kind_name(message.kind)}};
  if (message.segment != 0) event["segment"] = message.segment;
  if (!message.path.empty()) event["path"] = message.path;
  if (message.code != 0) {
    event["code"] = message.code;
    event["error"] = message.text;
  }
  for (const auto& [key, value] : message.detail.items()) event[key] = value;
  return event;
}

EventLog::EventLog(const std::string& path) : path_(path) {
  if (path.empty()) return;
  if (path == "-") {
    file_ = stdout;
    return;
  }
  int fd = open_events(path);
  file_ = ::fdopen(fd, "a");
  if (file_ == nullptr) {
    ::close(fd);
    throw Error(ExitCode::events_unwritable,
                fmt::format("{}: cannot open the event log: {}", path, std::strerror(errno)));
  }
  owned_ = true;
}

EventLog::~EventLog() {
  if (owned_) std::fclose(file_);
}

void EventLog::write(const nlohmann::json& event) {
  if (file_ == nullptr || broken_) return;
  std::string line = event.dump() + "\n";
  if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
    broken_ = true;
    fmt::print(stderr, "pktmask: {}: cannot write events ({}); going on without them\n",
               path_ == "-" ? "stdout" : path_, std::strerror(errno));
  }
}

}  // namespace pktmask

#include "events.h"

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "capture_failure.h"

namespace pktmask {

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
  file_ = std::fopen(path.c_str(), "ae");
  if (file_ == nullptr)
    throw CaptureFailure(CaptureCode::events_unwritable,
                         fmt::format("{}: cannot open the event log: {}", path, std::strerror(errno)));
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

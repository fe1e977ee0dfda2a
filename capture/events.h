#pragma once
// The NDJSON event stream (--events FILE|-): one JSON object per line, one
// line per message the manager accepted, flushed at once so `tail -f` and
// pipes see each event as it happens.

#include <cstdio>
#include <string>

#include <nlohmann/json.hpp>

#include "capture/message.h"

namespace pktmask {

// `key` is the run's --key-name, common to all its events.
nlohmann::json to_event(const Message& message, const std::string& key);
// The fields of the summary event, which capture --stats writes too.
nlohmann::json summary_json(const CaptureSummary& summary);

class EventLog {
 public:
  // "" writes nothing, "-" writes to stdout. Throws Error(events_unwritable).
  explicit EventLog(const std::string& path);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;

  // A failing event stream (a closed pipe, a full disk) is reported once on
  // stderr and then ignored: it must not stop the capture.
  void write(const nlohmann::json& event);

 private:
  std::string path_;
  std::FILE* file_ = nullptr;
  bool owned_ = false;
  bool broken_ = false;
};

}  // namespace pktmask

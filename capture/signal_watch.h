#pragma once
// SIGINT/SIGTERM for a multi-threaded capture. The signals are blocked in
// every thread and taken by one watcher thread with sigwait, so the handlers
// may do ordinary work: the first signal asks for a graceful stop, the
// second runs the emergency clean-up (remove raw segments) and exits. So
// does the watcher itself when the graceful stop outlasts its time limit:
// a stop stuck anywhere (a hung event reader, a stalled disk) must not keep
// raw data on disk forever. SIGHUP, any number of times, asks to read the
// configuration again.

#include <chrono>
#include <functional>
#include <thread>

namespace pktmask {

class SignalWatch {
 public:
  // Must be constructed before any other thread starts, so they inherit the mask.
  // `timed_out` runs when no second signal came and the watch still lives
  // `stop_timeout` after the first. `hangup` runs on every SIGHUP.
  SignalWatch(std::function<void(int)> first, std::function<void(int)> second, std::chrono::milliseconds stop_timeout,
              std::function<void()> timed_out, std::function<void()> hangup);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

 private:
  std::thread thread_;
};

}  // namespace pktmask

#pragma once
// SIGINT/SIGTERM for a multi-threaded capture. The signals are blocked in
// every thread and taken by one watcher thread with sigwait, so the handlers
// may do ordinary work: the first signal asks for a graceful stop, the
// second runs the emergency clean-up (remove raw segments) and exits.
// SIGHUP, any number of times, asks to read the configuration again.

#include <functional>
#include <thread>

namespace pktmask {

class SignalWatch {
 public:
  // Must be constructed before any other thread starts, so they inherit the mask.
  SignalWatch(std::function<void(int)> first, std::function<void(int)> second, std::function<void()> hangup);
  ~SignalWatch();
  SignalWatch(const SignalWatch&) = delete;
  SignalWatch& operator=(const SignalWatch&) = delete;

 private:
  std::thread thread_;
};

}  // namespace pktmask

#include "capture/signal_watch.h"

#include <pthread.h>
#include <signal.h>

#include <cerrno>
#include <optional>

namespace pktmask {

namespace {

using Clock = std::chrono::steady_clock;

// SIGUSR1 only wakes the watcher to end it.
sigset_t watched() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigaddset(&set, SIGUSR1);
  return set;
}

// The next signal, or 0 once the deadline has passed.
int next_signal(const sigset_t& set, std::optional<Clock::time_point> deadline) {
  while (true) {
    if (!deadline) {
      int number = 0;
      if (sigwait(&set, &number) == 0) return number;
      continue;
    }
    auto left = std::chrono::duration_cast<std::chrono::nanoseconds>(*deadline - Clock::now());
    if (left.count() <= 0) return 0;
    timespec wait{.tv_sec = static_cast<time_t>(left.count() / 1000000000),
                  .tv_nsec = static_cast<long>(left.count() % 1000000000)};
    int number = sigtimedwait(&set, nullptr, &wait);
    if (number > 0) return number;
    if (errno == EAGAIN) return 0;
  }
}

}  // namespace

SignalWatch::SignalWatch(std::function<void(int)> first, std::function<void(int)> second,
                         std::chrono::milliseconds stop_timeout, std::function<void()> timed_out,
                         std::function<void()> hangup) {
  sigset_t set = watched();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([set, first = std::move(first), second = std::move(second), stop_timeout,
                         timed_out = std::move(timed_out), hangup = std::move(hangup)] {
    std::optional<Clock::time_point> deadline;
    while (true) {
      int number = next_signal(set, deadline);
      if (number == SIGUSR1) return;
      if (number == 0) {
        timed_out();
        return;
      }
      if (number == SIGHUP) {
        hangup();
      } else if (deadline) {
        second(number);
      } else {
        deadline = Clock::now() + stop_timeout;
        first(number);
      }
    }
  });
}

SignalWatch::~SignalWatch() {
  pthread_kill(thread_.native_handle(), SIGUSR1);
  thread_.join();
}

}  // namespace pktmask

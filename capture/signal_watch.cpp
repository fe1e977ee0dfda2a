#include "capture/signal_watch.h"

#include <pthread.h>
#include <signal.h>

namespace pktmask {

namespace {

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

}  // namespace

SignalWatch::SignalWatch(std::function<void(int)> first, std::function<void(int)> second,
                         std::function<void()> hangup) {
  sigset_t set = watched();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  thread_ = std::thread([set, first = std::move(first), second = std::move(second), hangup = std::move(hangup)] {
    for (int count = 0;;) {
      int number = 0;
      if (sigwait(&set, &number) != 0 || number == SIGUSR1) return;
      if (number == SIGHUP)
        hangup();
      else
        (count++ == 0 ? first : second)(number);
    }
  });
}

SignalWatch::~SignalWatch() {
  pthread_kill(thread_.native_handle(), SIGUSR1);
  thread_.join();
}

}  // namespace pktmask

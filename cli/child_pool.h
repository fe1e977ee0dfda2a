#pragma once
// Runs one child pktmask per task, N at a time: the scheduler of batch
// `sanitize -O` and bulk `verify`. A process per task is pktmask's unit of
// failure isolation: each child has its own signal handling, temporary
// output and exit code, so one bad capture (or a crash) cannot take the
// others down.

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "common/child_process.h"
#include "common/status_line.h"

namespace pktmask::cli {

// The longest the pool sleeps: it bounds how late a signal that arrives just
// before the sleep is forwarded, and paces the progress line (give it to the
// StatusLine).
constexpr std::chrono::milliseconds kPoolTick{250};

struct PoolWork {
  size_t count = 0;   // tasks 0 .. count-1, started in that order
  unsigned jobs = 1;  // children at a time; 0: one per CPU
  // Task `index`'s child; nullopt when the task was settled without one.
  std::function<std::optional<ChildCommand>(size_t index)> start;
  // Task `index`'s child exited with `exit_code` (128 + N for signal N).
  std::function<void(size_t index, const ChildProcess& child, int exit_code)> finish;
  // The progress line, redrawn on `status` after every wake-up.
  std::function<std::string()> progress;
};

// Returns once every task has finished, or once SIGINT/SIGTERM stopped the
// run (no task is started after it; it is forwarded once to the running
// children) and every running child has exited. The caller then checks
// interrupted().
void run_pool(const PoolWork& work, StatusLine& status);

// What a failed pktmask child said: the last line of its stderr less
// "pktmask: ", or, when it printed none (a crash, the OOM killer), how it
// ended.
struct ChildFailure {
  std::string message;
  bool from_child = true;  // false: the message says how it ended
};

// Passes text a child printed on to our stderr, below the progress line.
void relay(StatusLine& status, const std::string& text);

// Passes a finished child's stderr on: all of it when it succeeded, all but
// the last line, its failure, when it did not.
std::optional<ChildFailure> relay_stderr(StatusLine& status, const ChildProcess& child, int exit_code);

}  // namespace pktmask::cli

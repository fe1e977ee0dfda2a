#include "cli/child_pool.h"

#include <poll.h>
#include <sched.h>
#include <signal.h>

#include <memory>
#include <string_view>
#include <vector>

#include <fmt/format.h>

#include "common/interrupt.h"

namespace pktmask::cli {

namespace {

constexpr std::string_view kMessagePrefix = "pktmask: ";

unsigned job_slots(unsigned jobs) {
  if (jobs > 0) return jobs;
  cpu_set_t cpus;
  return ::sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? static_cast<unsigned>(CPU_COUNT(&cpus)) : 1;
}

struct Running {
  size_t index;
  std::unique_ptr<ChildProcess> child;
};

void wait_for_an_exit(const std::vector<Running>& running) {
  if (running.empty()) return;
  std::vector<pollfd> exits;
  for (const Running& job : running) exits.push_back({job.child->exit_fd(), POLLIN, 0});
  ::poll(exits.data(), exits.size(), static_cast<int>(kPoolTick.count()));  // EINTR: a signal, handled by the caller
}

void reap_finished(std::vector<Running>& running, const PoolWork& work) {
  for (auto job = running.begin(); job != running.end();) {
    std::optional<ChildExit> exit = job->child->try_reap();
    if (!exit) {
      ++job;
      continue;
    }
    work.finish(job->index, *job->child, exit->shell_code());
    job = running.erase(job);
  }
}

// Splits off the last non-empty line of a child's stderr.
std::pair<std::string, std::string> split_last_line(const std::string& text) {
  size_t end = text.find_last_not_of('\n');
  if (end == std::string::npos) return {"", ""};
  size_t begin = text.rfind('\n', end);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return {text.substr(0, begin), text.substr(begin, end + 1 - begin)};
}

}  // namespace

void run_pool(const PoolWork& work, StatusLine& status) {
  const unsigned slots = job_slots(work.jobs);
  std::vector<Running> running;
  size_t next = 0;
  bool forwarded = false;
  while (!running.empty() || (next < work.count && !interrupted())) {
    // A signal sent to pktmask alone (kill, timeout, systemd) must reach
    // the children. On a terminal's Ctrl-C they get it themselves as well:
    // a child then sees a second signal and exits at once, which still
    // removes its temporary output.
    if (interrupted() && !forwarded) {
      for (const Running& job : running) job.child->send_signal(SIGINT);
      forwarded = true;
    }
    while (!interrupted() && next < work.count && running.size() < slots) {
      size_t index = next++;
      if (std::optional<ChildCommand> command = work.start(index))
        running.push_back({index, std::make_unique<ChildProcess>(*command)});
    }
    wait_for_an_exit(running);
    reap_finished(running, work);
    status.show(work.progress());
  }
  status.clear();
}

void relay(StatusLine& status, const std::string& text) {
  if (text.empty()) return;
  status.clear();
  fmt::print(stderr, "{}", text);
}

std::optional<ChildFailure> relay_stderr(StatusLine& status, const ChildProcess& child, int exit_code) {
  std::string text = child.stderr_text();
  if (exit_code == 0) {
    relay(status, text);
    return std::nullopt;
  }
  auto [earlier, last] = split_last_line(text);
  relay(status, earlier);
  std::string_view message = last;
  if (message.starts_with(kMessagePrefix)) message.remove_prefix(kMessagePrefix.size());
  if (!message.empty()) return ChildFailure{std::string(message)};
  return ChildFailure{exit_code > 128 ? fmt::format("killed by signal {}", exit_code - 128)
                                      : fmt::format("exited with status {} and no message", exit_code),
                      false};
}

}  // namespace pktmask::cli

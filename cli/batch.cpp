#include "cli/batch.h"

#include <poll.h>
#include <sched.h>
#include <signal.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/anon_options.h"
#include "cli/io_helpers.h"
#include "cli/path_clash.h"
#include "cli/policy_options.h"
#include "common/child_process.h"
#include "common/interrupt.h"
#include "common/policy_json.h"
#include "common/stats_schema.h"
#include "common/status_line.h"

namespace pktmask::cli {

namespace fs = std::filesystem;

namespace {

// The longest the scheduler sleeps: it bounds how late a signal that arrives
// just before the sleep is forwarded, and paces the progress line.
constexpr int kPollMilliseconds = 250;
constexpr std::string_view kMessagePrefix = "pktmask: ";

struct BatchFile {
  std::string input;
  std::string output;
  uint64_t size = 0;
};

struct FileResult {
  int exit_code = 0;
  std::string error;     // one line naming the file, without "pktmask: "
  nlohmann::json stats;  // the child's --stats document when it succeeded
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

std::string lower_extension(const fs::path& path) {
  std::string extension = path.extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return extension;
}

bool is_compression_suffix(const std::string& extension) { return extension == ".gz" || extension == ".zst"; }

// The name an output gets: the input's, less a compression suffix (the
// output is written uncompressed).
fs::path output_name(const fs::path& input) {
  return is_compression_suffix(lower_extension(input)) ? fs::path(input).replace_extension() : input;
}

bool is_capture_name(const fs::path& path) {
  std::string extension = lower_extension(output_name(path));
  return extension == ".pcap" || extension == ".pcapng" || extension == ".cap";
}

// The capture files under `dir`, relative to it, in path order. The output
// directory is not entered, so a run over a tree that holds its own output
// directory does not sanitize earlier outputs again.
std::vector<fs::path> captures_in(const fs::path& dir, bool recursive, const fs::path& output_dir) {
  std::vector<fs::path> found;
  try {
    for (auto it = fs::recursive_directory_iterator(dir); it != fs::recursive_directory_iterator(); ++it) {
      std::error_code not_there;
      if (it->is_directory()) {
        if (!recursive || fs::equivalent(it->path(), output_dir, not_there)) it.disable_recursion_pending();
      } else if (it->is_regular_file() && is_capture_name(it->path())) {
        found.push_back(it->path().lexically_relative(dir));
      }
    }
  } catch (const fs::filesystem_error& e) {
    throw Error(ExitCode::bad_capture, fmt::format("{}: cannot list: {}", e.path1().string(), e.code().message()));
  }
  std::sort(found.begin(), found.end());
  return found;
}

// Refuses, before anything runs, two inputs that would share an output, an
// output that would replace an input, and a summary written over either.
void check_outputs(const std::vector<BatchFile>& files, const std::string& stats) {
  std::vector<NamedPath> inputs, outputs;
  for (const BatchFile& file : files) {
    inputs.push_back({file.input, "the input"});
    outputs.push_back({file.output, "the output of " + file.input});
  }
  outputs.push_back({stats, "--stats"});
  check_paths(inputs, outputs);
}

// Every file to sanitize and where its output goes: a file named on the
// command line lands in OUTDIR under its own name, a file found in a
// directory under its path relative to that directory.
std::vector<BatchFile> plan_files(const BatchOptions& options) {
  fs::path output_dir(options.output_dir);
  std::vector<BatchFile> files;
  auto add = [&](const fs::path& input, const fs::path& relative) {
    std::error_code unknown;
    uint64_t size = fs::file_size(input, unknown);
    files.push_back({input.string(), (output_dir / output_name(relative)).string(), unknown ? 0 : size});
  };
  for (const std::string& input : options.inputs) {
    std::error_code not_a_directory;
    if (!fs::is_directory(input, not_a_directory)) {  // its child reports whatever is wrong with it
      add(input, fs::path(input).filename());
      continue;
    }
    for (const fs::path& relative : captures_in(input, options.recursive, output_dir))
      add(fs::path(input) / relative, relative);
  }
  if (files.empty())
    throw Error(ExitCode::usage, fmt::format("no capture files (*.pcap, *.pcapng, *.cap, also .gz or .zst) in {}{}",
                                             fmt::join(options.inputs, ", "),
                                             options.recursive ? "" : " (-R descends into subdirectories)"));
  check_outputs(files, options.stats);
  return files;
}

unsigned job_slots(unsigned jobs) {
  if (jobs > 0) return jobs;
  cpu_set_t cpus;
  return ::sched_getaffinity(0, sizeof cpus, &cpus) == 0 ? static_cast<unsigned>(CPU_COUNT(&cpus)) : 1;
}

// This very pktmask binary in the single-file form, with its statistics on
// the child's stdout. A process per file is pktmask's unit of failure
// isolation: each child has its own signal handling, temporary output and
// exit code, so one bad capture (or a crash) cannot take the others down.
// "--" keeps an input whose name starts with '-' from reading as an option.
ChildCommand child_command(const BatchFile& file, const BatchOptions& options) {
  std::vector<std::string> arguments{"sanitize",     "--engine",      options.engine, "--tshark",
                                     options.tshark, "--no-progress", "--stats",      "-",
                                     "-o",           file.output};
  if (!options.self_check) arguments.push_back("--no-self-check");
  if (options.strict_input) arguments.push_back("--strict-input");
  std::ranges::copy(policy_arguments(options.policy), std::back_inserter(arguments));
  std::ranges::copy(anon_arguments(options.anon), std::back_inserter(arguments));
  arguments.insert(arguments.end(), {"--", file.input});
  return {.program = "/proc/self/exe", .name = "pktmask", .arguments = std::move(arguments)};
}

// Splits off the last non-empty line of a child's stderr.
std::pair<std::string, std::string> split_last_line(const std::string& text) {
  size_t end = text.find_last_not_of('\n');
  if (end == std::string::npos) return {"", ""};
  size_t begin = text.rfind('\n', end);
  begin = begin == std::string::npos ? 0 : begin + 1;
  return {text.substr(0, begin), text.substr(begin, end + 1 - begin)};
}

class BatchRun {
 public:
  BatchRun(const BatchOptions& options, std::vector<BatchFile> files)
      : options_(options),
        files_(std::move(files)),
        results_(files_.size()),
        slots_(job_slots(options.jobs)),
        progress_(options.progress, std::chrono::milliseconds(kPollMilliseconds)) {}

  // Until every file has finished, or a signal stopped the run and every
  // running child has exited.
  void run() {
    bool forwarded = false;
    while (!running_.empty() || (next_ < files_.size() && !interrupted())) {
      // A signal sent to pktmask alone (kill, timeout, systemd) must reach
      // the children. On a terminal's Ctrl-C they get it themselves as well:
      // a child then sees a second signal and exits at once, which still
      // removes its temporary output.
      if (interrupted() && !forwarded) {
        for (const Running& job : running_) job.child->send_signal(SIGINT);
        forwarded = true;
      }
      while (!interrupted() && next_ < files_.size() && running_.size() < slots_) start(next_++);
      wait_for_an_exit();
      reap_finished();
      progress_.show(fmt::format("sanitize: {}/{} files, {} failed, {:.0f} MB/s", done_, files_.size(), failed_,
                                 static_cast<double>(bytes_done_) / 1e6 / std::max(seconds_since(start_), 1e-3)));
    }
    progress_.clear();
  }

  size_t failed() const { return failed_; }
  size_t total() const { return files_.size(); }

  nlohmann::json summary(double seconds) const {
    nlohmann::json listed = nlohmann::json::array();
    uint64_t bytes_in = 0;
    for (size_t i = 0; i < files_.size(); ++i) {
      const FileResult& result = results_[i];
      nlohmann::json entry = {
          {"input", files_[i].input}, {"ok", result.exit_code == 0}, {"exit_code", result.exit_code}};
      if (result.exit_code == 0) {
        entry["output"] = files_[i].output;
        entry["stats"] = result.stats;
      } else {
        entry["error"] = result.error;
      }
      listed.push_back(std::move(entry));
      bytes_in += files_[i].size;
    }
    return {{"schema", kStatsSchema},
            {"policy", policy_to_json(options_.policy)},
            {"files", listed},
            {"total",
             {{"files", files_.size()},
              {"ok", files_.size() - failed_},
              {"failed", failed_},
              {"bytes_in", bytes_in},
              {"seconds", seconds}}}};
  }

 private:
  struct Running {
    size_t index;
    std::unique_ptr<ChildProcess> child;
  };

  void start(size_t index) {
    const BatchFile& file = files_[index];
    std::error_code error;
    fs::create_directories(fs::path(file.output).parent_path(), error);
    if (error) {
      finish(index, {static_cast<int>(ExitCode::output_failed),
                     fmt::format("{}: cannot create its directory: {}", file.output, error.message()),
                     {}});
      return;
    }
    running_.push_back({index, std::make_unique<ChildProcess>(child_command(file, options_))});
  }

  void wait_for_an_exit() const {
    if (running_.empty()) return;
    std::vector<pollfd> exits;
    for (const Running& job : running_) exits.push_back({job.child->exit_fd(), POLLIN, 0});
    ::poll(exits.data(), exits.size(), kPollMilliseconds);  // EINTR: a signal, handled by the caller
  }

  void reap_finished() {
    for (auto job = running_.begin(); job != running_.end();) {
      std::optional<ChildExit> exit = job->child->try_reap();
      if (!exit) {
        ++job;
        continue;
      }
      finish(job->index, result_of(files_[job->index], *job->child, exit->shell_code()));
      job = running_.erase(job);
    }
  }

  // The child's statistics, or its error as one line that names the file.
  // Whatever else it printed (engine differences with --engine both) is
  // passed on as it is.
  FileResult result_of(const BatchFile& file, const ChildProcess& child, int exit_code) {
    std::string text = child.stderr_text();
    if (exit_code == 0) {
      relay(text);
      return {0, "", nlohmann::json::parse(child.stdout_text())};
    }
    auto [earlier, last] = split_last_line(text);
    relay(earlier);
    std::string_view message = last;
    if (message.starts_with(kMessagePrefix)) message.remove_prefix(kMessagePrefix.size());
    if (message.empty())  // a crash, or killed from outside (the OOM killer)
      return {exit_code,
              exit_code > 128 ? fmt::format("{}: killed by signal {}", file.input, exit_code - 128)
                              : fmt::format("{}: exited with status {} and no message", file.input, exit_code),
              {}};
    if (message.find(file.input) == std::string_view::npos)
      return {exit_code, fmt::format("{}: {}", file.input, message), {}};
    return {exit_code, std::string(message), {}};
  }

  void relay(const std::string& text) {
    if (text.empty()) return;
    progress_.clear();
    fmt::print(stderr, "{}", text);
  }

  void finish(size_t index, FileResult result) {
    ++done_;
    bytes_done_ += files_[index].size;
    // Children stopped by the signal say only "interrupted"; pktmask says it once.
    if (result.exit_code != 0 && !(interrupted() && result.exit_code == static_cast<int>(ExitCode::interrupted))) {
      ++failed_;
      relay(fmt::format("pktmask: {}\n", result.error));
    }
    results_[index] = std::move(result);
  }

  const BatchOptions& options_;
  std::vector<BatchFile> files_;
  std::vector<FileResult> results_;
  unsigned slots_;
  StatusLine progress_;  // files done, failures and throughput
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::vector<Running> running_;
  size_t next_ = 0;
  size_t done_ = 0;
  size_t failed_ = 0;
  uint64_t bytes_done_ = 0;
};

}  // namespace

bool needs_batch(const std::vector<std::string>& inputs) {
  std::error_code not_a_directory;
  return inputs.size() > 1 || (inputs.size() == 1 && fs::is_directory(inputs.front(), not_a_directory));
}

void run_batch(const BatchOptions& options) {
  auto start = std::chrono::steady_clock::now();
  std::vector<BatchFile> files = plan_files(options);
  std::error_code error;
  fs::create_directories(options.output_dir, error);
  if (error)
    throw Error(ExitCode::output_failed,
                fmt::format("{}: cannot create the output directory: {}", options.output_dir, error.message()));
  BatchRun batch(options, std::move(files));
  batch.run();
  throw_if_interrupted();
  if (!options.stats.empty()) write_stats(options.stats, batch.summary(seconds_since(start)));
  if (batch.failed() > 0)
    throw Error(kSomeFilesFailed, fmt::format("{} of {} files failed", batch.failed(), batch.total()));
}

}  // namespace pktmask::cli

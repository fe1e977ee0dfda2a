#include "cli/batch.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/anon_options.h"
#include "cli/batch_files.h"
#include "cli/child_pool.h"
#include "cli/io_helpers.h"
#include "cli/path_clash.h"
#include "cli/policy_options.h"
#include "common/interrupt.h"
#include "common/policy_json.h"
#include "common/stats_schema.h"
#include "common/status_line.h"

namespace pktmask::cli {

namespace fs = std::filesystem;

namespace {

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

// This very pktmask binary in the single-file form, with its statistics on
// the child's stdout (child_pool.h: a process per file). "--" keeps an input
// whose name starts with '-' from reading as an option.
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

class BatchRun {
 public:
  BatchRun(const BatchOptions& options, std::vector<BatchFile> files)
      : options_(options), files_(std::move(files)), results_(files_.size()), progress_(options.progress, kPoolTick) {}

  // Until every file has finished, or a signal stopped the run and every
  // running child has exited.
  void run() {
    run_pool({.count = files_.size(),
              .jobs = options_.jobs,
              .start = [this](size_t index) { return start(index); },
              .finish = [this](size_t index, const ChildProcess& child,
                               int exit_code) { finish(index, result_of(files_[index], child, exit_code)); },
              .progress =
                  [this] {
                    return fmt::format("sanitize: {}/{} files, {} failed, {:.0f} MB/s", done_, files_.size(), failed_,
                                       static_cast<double>(bytes_done_) / 1e6 / std::max(seconds_since(start_), 1e-3));
                  }},
             progress_);
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
  std::optional<ChildCommand> start(size_t index) {
    const BatchFile& file = files_[index];
    std::error_code error;
    fs::create_directories(fs::path(file.output).parent_path(), error);
    if (error) {
      finish(index, {static_cast<int>(ExitCode::output_failed),
                     fmt::format("{}: cannot create its directory: {}", file.output, error.message()),
                     {}});
      return std::nullopt;
    }
    return child_command(file, options_);
  }

  // The child's statistics, or its error as one line that names the file.
  // Whatever else it printed (engine differences with --engine both) is
  // passed on as it is.
  FileResult result_of(const BatchFile& file, const ChildProcess& child, int exit_code) {
    std::optional<ChildFailure> failure = relay_stderr(progress_, child, exit_code);
    if (!failure) return {0, "", nlohmann::json::parse(child.stdout_text())};
    if (!failure->from_child || failure->message.find(file.input) == std::string::npos)
      return {exit_code, fmt::format("{}: {}", file.input, failure->message), {}};
    return {exit_code, std::move(failure->message), {}};
  }

  void finish(size_t index, FileResult result) {
    ++done_;
    bytes_done_ += files_[index].size;
    // Children stopped by the signal say only "interrupted"; pktmask says it once.
    if (result.exit_code != 0 && !(interrupted() && result.exit_code == static_cast<int>(ExitCode::interrupted))) {
      ++failed_;
      relay(progress_, fmt::format("pktmask: {}\n", result.error));
    }
    results_[index] = std::move(result);
  }

  const BatchOptions& options_;
  std::vector<BatchFile> files_;
  std::vector<FileResult> results_;
  StatusLine progress_;  // files done, failures and throughput
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
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

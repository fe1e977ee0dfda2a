#include "cli/verify_bulk.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/anon_options.h"
#include "cli/batch_files.h"
#include "cli/child_pool.h"
#include "cli/policy_options.h"
#include "common/errors.h"
#include "common/interrupt.h"
#include "common/status_line.h"
#include "verifier/verify.h"

namespace pktmask::cli {

namespace fs = std::filesystem;

namespace {

// One sanitized file and the original it must match; an unmatched file in
// SAN_DIR has none.
struct Pair {
  std::optional<std::string> original;
  std::string sanitized;
};

struct PairResult {
  std::optional<int> exit_code;  // none: no child ran (missing, unmatched)
  std::string why;               // what failed, without the file's name; empty when it passed
  nlohmann::json result;         // the child's report, when it judged the pair
};

// Every original with the name batch -O gave its output, then every capture
// in SAN_DIR that none of them names.
std::vector<Pair> plan_pairs(const BulkVerifyOptions& options) {
  fs::path original_dir(options.original_dir), sanitized_dir(options.sanitized_dir);
  std::vector<Pair> pairs;
  std::map<fs::path, std::string> expected;  // sanitized name (relative) → its original
  for (const fs::path& relative : captures_in(original_dir, options.recursive, sanitized_dir)) {
    std::string original = (original_dir / relative).string();
    auto [clash, added] = expected.emplace(output_name(relative), original);
    if (!added)
      throw Error(ExitCode::usage,
                  fmt::format("{} and {} would both be verified against {} (batch -O refuses them too)", clash->second,
                              original, (sanitized_dir / clash->first).string()));
    pairs.push_back({original, (sanitized_dir / output_name(relative)).string()});
  }
  // Nothing is skipped here: an original kept inside SAN_DIR is shared with it too.
  for (const fs::path& relative : captures_in(sanitized_dir, options.recursive, fs::path()))
    if (!expected.contains(relative)) pairs.push_back({std::nullopt, (sanitized_dir / relative).string()});
  if (pairs.empty())
    throw Error(
        ExitCode::usage,
        fmt::format("no capture files (*.pcap, *.pcapng, *.cap, also .gz or .zst) in {} or {}{}", options.original_dir,
                    options.sanitized_dir, options.recursive ? "" : " (-R descends into subdirectories)"));
  return pairs;
}

// This very pktmask binary in the single-pair form, its report as JSON on
// its stdout. "--" keeps a name that starts with '-' from reading as an option.
ChildCommand child_command(const Pair& pair, const BulkVerifyOptions& options) {
  std::vector<std::string> arguments{
      "verify", "--json", "--tshark", options.tshark_binary, "--max-report", std::to_string(options.max_report)};
  if (!options.tshark) arguments.push_back("--no-tshark");
  if (options.strict_input) arguments.push_back("--strict-input");
  std::ranges::copy(policy_arguments(options.policy), std::back_inserter(arguments));
  std::ranges::copy(anon_arguments(options.anon), std::back_inserter(arguments));
  arguments.insert(arguments.end(), {"--", *pair.original, pair.sanitized});
  return {.program = "/proc/self/exe", .name = "pktmask", .arguments = std::move(arguments)};
}

std::string counts(const nlohmann::json& report) {
  return fmt::format("{} leaked, {} lost, {} structural", report.at("leaked").at("count").get<size_t>(),
                     report.at("lost").at("count").get<size_t>(), report.at("structural").at("count").get<size_t>());
}

class BulkVerify {
 public:
  BulkVerify(const BulkVerifyOptions& options, std::vector<Pair> pairs)
      : options_(options), pairs_(std::move(pairs)), results_(pairs_.size()), progress_(options.progress, kPoolTick) {}

  void run() {
    run_pool(
        {.count = pairs_.size(),
         .jobs = options_.jobs,
         .start = [this](size_t index) { return start(index); },
         .finish = [this](size_t index, const ChildProcess& child,
                          int exit_code) { finish(index, result_of(pairs_[index], child, exit_code)); },
         .progress = [this] { return fmt::format("verify: {}/{} pairs, {} failed", done_, pairs_.size(), failed_); }},
        progress_);
  }

  size_t failed() const { return failed_; }
  size_t total() const { return pairs_.size(); }

  // One line per failed pair, in pair order, then the summary.
  void print_text() const {
    for (size_t i = 0; i < pairs_.size(); ++i) {
      if (results_[i].why.empty()) continue;
      const Pair& pair = pairs_[i];
      fmt::print("{}: {} ({})\n", pair.sanitized, results_[i].why,
                 pair.original ? "original " + *pair.original : "no original in " + options_.original_dir);
    }
    fmt::print("{} pairs verified, {} failed\n", pairs_.size(), failed_);
  }

  nlohmann::json to_json() const {
    nlohmann::json listed = nlohmann::json::array();
    size_t missing = 0, unmatched = 0;
    for (size_t i = 0; i < pairs_.size(); ++i) {
      const Pair& pair = pairs_[i];
      const PairResult& result = results_[i];
      nlohmann::json entry = {{"original", pair.original ? nlohmann::json(*pair.original) : nlohmann::json()},
                              {"sanitized", pair.sanitized},
                              {"ok", result.why.empty()},
                              {"exit_code", result.exit_code ? nlohmann::json(*result.exit_code) : nlohmann::json()}};
      if (!result.result.is_null()) entry["result"] = result.result;
      if (!result.why.empty()) entry["error"] = result.why;
      if (!pair.original)
        ++unmatched;
      else if (!result.exit_code && !result.why.empty())
        ++missing;
      listed.push_back(std::move(entry));
    }
    return {{"original_dir", options_.original_dir},
            {"sanitized_dir", options_.sanitized_dir},
            {"pairs", listed},
            {"total",
             {{"pairs", pairs_.size()},
              {"ok", pairs_.size() - failed_},
              {"failed", failed_},
              {"missing", missing},
              {"unmatched", unmatched}}}};
  }

 private:
  std::optional<ChildCommand> start(size_t index) {
    const Pair& pair = pairs_[index];
    if (!pair.original) {
      finish(index, {std::nullopt, "no original maps to it", {}});
      return std::nullopt;
    }
    std::error_code unknown;
    if (!fs::exists(pair.sanitized, unknown)) {
      finish(index, {std::nullopt, "missing", {}});
      return std::nullopt;
    }
    return child_command(pair, options_);
  }

  // The child's report and counts, or its one-line error. What else it
  // printed (a warning about a cut-short original) is passed on as it is;
  // its own "verification failed" line is not, the counts say it.
  PairResult result_of(const Pair& pair, const ChildProcess& child, int exit_code) {
    std::optional<ChildFailure> failure = relay_stderr(progress_, child, exit_code);
    if (!failure) return {0, "", nlohmann::json::parse(child.stdout_text())};
    if (exit_code == static_cast<int>(verify::kVerificationFailed)) {
      nlohmann::json report = nlohmann::json::parse(child.stdout_text());
      return {exit_code, counts(report), std::move(report)};
    }
    // The line names the sanitized file already.
    std::string_view why = failure->message;
    if (std::string named = pair.sanitized + ": "; why.starts_with(named)) why.remove_prefix(named.size());
    return {exit_code, std::string(why), {}};
  }

  void finish(size_t index, PairResult result) {
    ++done_;
    if (!result.why.empty()) ++failed_;
    results_[index] = std::move(result);
  }

  const BulkVerifyOptions& options_;
  std::vector<Pair> pairs_;
  std::vector<PairResult> results_;
  StatusLine progress_;  // pairs done and failed
  size_t done_ = 0;
  size_t failed_ = 0;
};

}  // namespace

bool is_bulk_verify(const std::string& original, const std::string& sanitized) {
  std::error_code unknown;
  bool original_is_dir = fs::is_directory(original, unknown), sanitized_is_dir = fs::is_directory(sanitized, unknown);
  if (original_is_dir == sanitized_is_dir) return original_is_dir;
  const std::string& other = original_is_dir ? sanitized : original;
  // A directory that is not there yet is reported when it is listed.
  if (fs::exists(other, unknown))
    throw Error(ExitCode::usage, fmt::format("{} is a directory but {} is not: give two files or two directories",
                                             original_is_dir ? original : sanitized, other));
  return true;
}

void run_bulk_verify(const BulkVerifyOptions& options) {
  BulkVerify bulk(options, plan_pairs(options));
  bulk.run();
  throw_if_interrupted();
  if (options.json)
    fmt::print("{}\n", bulk.to_json().dump());
  else
    bulk.print_text();
  std::fflush(stdout);
  if (bulk.failed() > 0)
    throw Error(verify::kVerificationFailed, fmt::format("{}: {} of {} pairs failed verification",
                                                         options.sanitized_dir, bulk.failed(), bulk.total()));
}

}  // namespace pktmask::cli

#include "verifier/tshark_opinion.h"

#include <charconv>
#include <string_view>

#include <fmt/format.h>

#include "common/errors.h"

namespace pktmask::verify {

namespace {

constexpr std::string_view kMissing = "<MISSING>";

std::vector<std::string> tshark_arguments(const std::string& sanitized) {
  return {"-r",           sanitized, "-n",           "-Y", "tls.app_data", "-T",
          "fields",       "-E",      "separator=/t", "-E", "occurrence=a", "-E",
          "aggregator=,", "-e",      "frame.number", "-e", "tls.app_data"};
}

}  // namespace

TsharkOpinion::TsharkOpinion(const std::string& binary, const std::string& sanitized, size_t max_report)
    : binary_(binary),
      version_(check_tshark_version(binary)),
      process_(binary, tshark_arguments(sanitized)),
      max_report_(max_report) {}

// A line is "FRAME<TAB>HEX[,HEX...]": one hex string per record, or
// tshark's <MISSING> for a record without application data.
void TsharkOpinion::next_report() {
  pending_.reset();
  std::string line;
  while (process_.read_line(line)) {
    std::string_view text(line);
    size_t tab = text.find('\t');
    if (tab == std::string_view::npos) unexpected(line);
    uint64_t frame = 0;
    auto [end, error] = std::from_chars(text.data(), text.data() + tab, frame);
    std::string data(text.substr(tab + 1));
    for (size_t at; (at = data.find(kMissing)) != std::string::npos;) data.erase(at, kMissing.size());
    if (error != std::errc{} || end != text.data() + tab || frame <= last_frame_ ||
        data.find_first_not_of("0123456789abcdef,") != std::string::npos)
      unexpected(line);
    last_frame_ = frame;
    if (data.find_first_not_of("0,") == std::string::npos) continue;
    ++frames_;
    pending_ = frame;
    return;
  }
}

void TsharkOpinion::unexpected(const std::string& line) const {
  throw Error(ExitCode::tshark_failed, fmt::format("{}: unexpected tshark output: \"{}\"", binary_, line));
}

void TsharkOpinion::warn(uint64_t frame) {
  ++warning_count_;
  if (warnings_.size() < max_report_)
    warnings_.push_back(fmt::format("tshark sees non-zero application data in frame {}", frame));
}

// tshark's output is read only once the comparison needs it, so tshark
// works through the file while the original is being walked.
void TsharkOpinion::start_reading() {
  if (started_) return;
  started_ = true;
  next_report();
}

void TsharkOpinion::judge(uint64_t frame, bool walk_found_leak) {
  start_reading();
  for (; pending_ && *pending_ < frame; next_report()) warn(*pending_);  // a frame that is no packet
  if (!pending_ || *pending_ != frame) return;
  if (walk_found_leak)
    ++confirmed_;
  else
    warn(frame);
  next_report();
}

void TsharkOpinion::finish() {
  start_reading();
  for (; pending_; next_report()) warn(*pending_);
  process_.finish();
}

TsharkOpinionStats TsharkOpinion::stats() const { return {version_, frames_, confirmed_, warning_count_, warnings_}; }

}  // namespace pktmask::verify

// The tshark engine: Wireshark's TLS dissector says which records each frame
// completes; this file turns that into the policy's record walk.
//
// The capture is read natively in lockstep with tshark's output, so flows,
// generations and logical sequence numbers come from the same FlowTracker the
// masker uses. tshark reports a record in the frame that holds its last byte;
// the walk places records one after another from the stream start and
// accepts a record only if its end falls inside the frame that reported it
// and it is the next record of the policy's own walk over the captured bytes
// (same start, type and length). tshark dissects plaintext it recognises
// (an SMTP or PostgreSQL preamble before STARTTLS, an HTTP CONNECT) and
// re-synchronises after gaps; a record placed only on its word could cover
// bytes the policy masks. So the rules are the longest common prefix of
// tshark's chain and the policy's walk: a subset of what the policy keeps,
// by construction. Anything tshark skipped or re-synchronised to breaks the
// chain, and the walk stops there: when unsure, mask.
#include <algorithm>
#include <charconv>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/packet_pipeline.h"
#include "common/tshark_process.h"
#include "marker/marker.h"
#include "marker/record_walk.h"

namespace pktmask {

namespace {

// What tshark (wiretap's WTAP_ERR_SHORT_READ) prints for a capture cut short.
constexpr std::string_view kTsharkCutShort = "cut short in the middle of a packet";

struct ReportedRecord {
  uint64_t frame_start;  // logical sequence number of the reporting frame's payload
  uint64_t frame_end;
  uint32_t length;
  uint8_t type;
  uint8_t version_major;
  bool consistent;  // tshark's field lists for the frame lined up
};

struct TsharkFrame {
  uint64_t number = 0;
  std::vector<uint32_t> types, lengths, versions;
  bool consistent = true;
};

std::vector<uint32_t> parse_list(std::string_view text, bool& ok) {
  std::vector<uint32_t> values;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view item = text.substr(0, comma);
    int base = 10;
    if (item.starts_with("0x")) {
      item.remove_prefix(2);
      base = 16;
    }
    uint32_t value = 0;
    auto [end, error] = std::from_chars(item.data(), item.data() + item.size(), value, base);
    if (error != std::errc{} || end != item.data() + item.size()) ok = false;
    values.push_back(value);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return values;
}

// One output line: frame, content types, opaque types, lengths, versions.
// Within a frame tshark lists cleartext content types before TLS 1.3 opaque
// ones, matching their order on the wire (encryption never switches back).
TsharkFrame parse_line(const std::string& line, const std::string& origin) {
  std::vector<std::string_view> fields;
  std::string_view rest(line);
  for (size_t tab; (tab = rest.find('\t')) != std::string_view::npos; rest.remove_prefix(tab + 1))
    fields.push_back(rest.substr(0, tab));
  fields.push_back(rest);
  TsharkFrame frame;
  bool ok = fields.size() == 5;
  if (ok) {
    auto [end, error] = std::from_chars(fields[0].data(), fields[0].data() + fields[0].size(), frame.number);
    ok = error == std::errc{} && frame.number > 0;
  }
  if (!ok) throw Error(ExitCode::tshark_failed, fmt::format("{}: unexpected tshark output: \"{}\"", origin, line));
  frame.types = parse_list(fields[1], ok);
  std::vector<uint32_t> opaque = parse_list(fields[2], ok);
  frame.lengths = parse_list(fields[3], ok);
  // Where tshark decrypted TLS 1.3 records (keys embedded in the capture),
  // it lists every record's inner content type as well: the wire type of
  // the last ones is then the opaque type.
  if (frame.types.size() == frame.lengths.size() && opaque.size() <= frame.types.size())
    std::copy(opaque.begin(), opaque.end(), frame.types.end() - static_cast<ptrdiff_t>(opaque.size()));
  else
    frame.types.insert(frame.types.end(), opaque.begin(), opaque.end());
  frame.versions = parse_list(fields[4], ok);
  frame.consistent = ok && frame.types.size() == frame.lengths.size() && frame.types.size() == frame.versions.size();
  return frame;
}

std::vector<std::string> tshark_arguments(const std::string& input) {
  return {"-r",
          input,
          "-n",
          "-Y",
          "tls",
          "-o",
          "ip.defragment:FALSE",
          "-o",
          "ipv6.defragment:FALSE",
          "-T",
          "fields",
          "-E",
          "separator=/t",
          "-E",
          "occurrence=a",
          "-E",
          "aggregator=,",
          "-e",
          "frame.number",
          "-e",
          "tls.record.content_type",
          "-e",
          "tls.record.opaque_type",
          "-e",
          "tls.record.length",
          "-e",
          "tls.record.version"};
}

// Places tshark's records of one direction from the stream start, as long as
// they are the records the policy's walk found there.
FlowRules walk_reports(const DirectionState& state, const std::vector<ReportedRecord>& reports,
                       const FlowRules* policy) {
  FlowRules flow;
  flow.key = state.key;
  flow.generation = state.generation;
  flow.stream_start = state.stream_start;
  flow.walk = WalkStatus::tls;
  std::vector<WalkedRecord> walked = policy ? walked_records(*policy) : std::vector<WalkedRecord>{};
  uint64_t cursor = state.stream_start;
  for (const ReportedRecord& report : reports) {
    if (report.frame_end <= cursor) continue;  // a retransmission of records already placed
    uint64_t end = cursor + kTlsHeader + report.length;
    size_t next = flow.rules.size();
    bool walk_agrees = next < walked.size() && walked[next].start == cursor && walked[next].type == report.type &&
                       walked[next].length == report.length;
    const char* problem = !report.consistent ? "tshark's record fields do not line up"
                          : !plausible_header(report.type, report.version_major, report.length) ? "implausible header"
                          : end <= report.frame_start || end > report.frame_end
                              ? "tshark's record does not continue the walk (gap or resynchronisation)"
                          : !walk_agrees ? "tshark's record is not the next record of the policy's walk"
                                         : nullptr;
    if (problem) {
      flow.walk = WalkStatus::stopped;
      flow.stop_reason = problem;
      break;
    }
    flow.rules.push_back(record_rule(cursor, report.type, report.length));
    cursor = end;
  }
  if (flow.rules.empty()) flow.walk = WalkStatus::not_tls;
  flow.walk_end = cursor;
  return flow;
}

// The policy's flows by direction and generation.
class PolicyFlows {
 public:
  explicit PolicyFlows(const KeepRuleSet& policy) {
    for (const FlowRules& flow : policy.flows) by_key_[flow.key].push_back(&flow);
  }
  const FlowRules* find(const DirectionState& state) const {
    auto found = by_key_.find(state.key);
    if (found == by_key_.end()) return nullptr;
    for (const FlowRules* flow : found->second)
      if (flow->generation == state.generation) return flow;
    return nullptr;
  }

 private:
  std::unordered_map<FlowKey, std::vector<const FlowRules*>, FlowKeyHash> by_key_;
};

// tshark's own message names the path it opened, which for a spooled input
// is /proc/self/fd/N: say what the user gave instead.
std::string naming_the_input(std::string message, const MarkJob& job) {
  for (size_t at = 0; (at = message.find(job.input.path, at)) != std::string::npos; at += job.input.shown().size())
    message.replace(at, job.input.path.size(), job.input.shown());
  return message;
}

}  // namespace

KeepRuleSet mark_tshark(const MarkJob& job) { return mark_tshark(job, mark_native(job)); }

KeepRuleSet mark_tshark(const MarkJob& job, const KeepRuleSet& policy) {
  std::string version = check_tshark_version(job.tshark);
  // Reads the capture first: it fails early, with our message, on a non-capture.
  PacketPipeline pipeline(job.input,
                          {.torn_tail = job.torn_tail, .progress = job.progress, .progress_label = "mark (tshark)"});
  TsharkProcess tshark(job.tshark, tshark_arguments(job.input.path));
  std::vector<std::vector<ReportedRecord>> reports;

  std::string line;
  while (tshark.read_line(line)) {
    TsharkFrame frame = parse_line(line, job.input.shown());
    if (frame.number <= pipeline.frames_read())
      throw Error(ExitCode::tshark_failed,
                  fmt::format("{}: tshark output out of order at frame {}", job.input.shown(), frame.number));
    if (!pipeline.read_through_frame(frame.number))
      throw Error(ExitCode::tshark_failed, fmt::format("{}: tshark reported frame {} beyond the capture's {} packets",
                                                       job.input.shown(), frame.number, pipeline.frames_read()));
    const DecodedRecord& read = pipeline.current();
    if (!read.tcp() || read.segment().payload_captured == 0) continue;  // e.g. TLS quoted in ICMP
    const SegmentPlace& place = read.place;
    if (reports.size() <= place.direction) reports.resize(place.direction + 1);
    uint64_t frame_end = place.payload_start + read.segment().payload_captured;
    for (size_t i = 0; i < frame.types.size(); ++i) {
      bool ok = frame.consistent;
      reports[place.direction].push_back({place.payload_start, frame_end, ok ? frame.lengths[i] : 0,
                                          static_cast<uint8_t>(frame.types[i]),
                                          ok ? static_cast<uint8_t>(frame.versions[i] >> 8) : uint8_t{0}, ok});
    }
  }
  try {
    tshark.finish();
  } catch (const Error& e) {
    pipeline.read_to_end();  // a corrupt capture explains tshark's failure better than tshark does
    // tshark dissects every complete packet of a capture cut short, then
    // fails on the torn one: where we leave that one out too, tshark agrees.
    if (!pipeline.truncation() || !tshark.error_mentions(kTsharkCutShort))
      throw Error(e.code(), naming_the_input(e.what(), job));
  }
  pipeline.read_to_end();

  KeepRuleSet rules;
  rules.engine = "tshark " + version;
  rules.policy = job.policy;
  rules.source_path = job.input.path;
  rules.source = pipeline.fingerprint();
  rules.stats.decode = pipeline.counters();
  rules.stats.truncation = pipeline.truncation();
  static const std::vector<ReportedRecord> kNone;
  PolicyFlows policy_flows(policy);
  const auto& directions = pipeline.tracker().directions();
  for (size_t i = 0; i < directions.size(); ++i)
    if (directions[i].data_seen)
      rules.flows.push_back(
          walk_reports(directions[i], i < reports.size() ? reports[i] : kNone, policy_flows.find(directions[i])));
  return rules;
}

}  // namespace pktmask

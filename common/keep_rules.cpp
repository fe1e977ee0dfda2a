#include "common/keep_rules.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/policy_json.h"

namespace pktmask {

namespace {

constexpr const char* kFormatName = "pktmask-keep-rules";

constexpr RuleType kRuleTypes[] = {RuleType::tls_header, RuleType::tls_record, RuleType::tls_body_part};

const char* to_string(RuleType type) {
  switch (type) {
    case RuleType::tls_header:
      return "tls_header";
    case RuleType::tls_record:
      return "tls_record";
    case RuleType::tls_body_part:
      return "tls_body_part";
  }
  return "unknown";
}

[[noreturn]] void bad(const std::string& origin, const std::string& what) {
  throw Error(ExitCode::bad_rules, fmt::format("{}: invalid keep rules: {}", origin, what));
}

WalkStatus walk_from_string(const std::string& text, const std::string& origin) {
  for (WalkStatus status : {WalkStatus::tls, WalkStatus::stopped, WalkStatus::not_tls})
    if (text == to_string(status)) return status;
  bad(origin, fmt::format("unknown walk status \"{}\"", text));
}

FlowRules parse_flow(const nlohmann::json& flow, size_t index, const std::string& origin) {
  FlowRules result;
  std::string where = fmt::format("flows[{}]", index);
  uint8_t dst_family = 0;
  if (!address_from_string(flow.at("src").get<std::string>(), result.key.family, result.key.src) ||
      !address_from_string(flow.at("dst").get<std::string>(), dst_family, result.key.dst) ||
      dst_family != result.key.family)
    bad(origin, where + ": bad address");
  result.key.sport = flow.at("sport").get<uint16_t>();
  result.key.dport = flow.at("dport").get<uint16_t>();
  result.generation = flow.at("generation").get<uint32_t>();
  result.stream_start = flow.at("stream_start").get<uint64_t>();
  result.walk = walk_from_string(flow.at("walk").get<std::string>(), origin);
  result.walk_end = flow.value("walk_end", uint64_t{0});
  result.stop_reason = flow.value("stop_reason", std::string{});
  uint64_t previous_end = 0;
  for (const auto& rule : flow.at("rules")) {
    if (!rule.is_array() || rule.size() != 4) bad(origin, where + ": a rule is not [start, end, type, content_type]");
    KeepRule keep{rule[0].get<uint64_t>(), rule[1].get<uint64_t>(), RuleType::tls_header, rule[3].get<uint8_t>()};
    std::string type = rule[2].get<std::string>();
    auto known = std::find_if(std::begin(kRuleTypes), std::end(kRuleTypes),
                              [&](RuleType candidate) { return type == to_string(candidate); });
    if (known == std::end(kRuleTypes)) bad(origin, fmt::format("{}: unknown rule type \"{}\"", where, type));
    keep.type = *known;
    if (keep.seq_end <= keep.seq_start || keep.seq_start < previous_end)
      bad(origin,
          fmt::format("{}: rules must be non-empty, sorted and non-overlapping (at {})", where, keep.seq_start));
    previous_end = keep.seq_end;
    result.rules.push_back(keep);
  }
  return result;
}

// The rules file keeps the marker's statistics as they were before --stats
// had a schema of its own (`flows` for directions, record types by number),
// so that rules files stay byte-identical.
nlohmann::json stats_to_json(const MarkStats& stats) {
  nlohmann::json json = stats.decode.to_json();
  json.update(truncation_json(stats.truncation));
  const WalkStatistics& walks = stats.walks;
  json["flows"] = {{"tls", walks.tls}, {"stopped", walks.stopped}, {"not_tls", walks.not_tls}};
  nlohmann::json records = nlohmann::json::object();
  for (size_t i = 0; i < kTlsContentTypeCount; ++i)
    records[std::to_string(kFirstTlsContentType + i)] = walks.records_by_type[i];
  json["records_by_type"] = records;
  json["rules"] = walks.rules;
  json["seconds"] = stats.seconds;
  if (stats.engine_differences) {
    json["engine_differences"] = *stats.engine_differences;
    json["engine_differences_listed"] = stats.engine_differences_listed;
  }
  return json;
}

// Informational, and possibly hand-edited: a missing key reads as zero.
MarkStats stats_from_json(const nlohmann::json& json) {
  MarkStats stats;
  stats.decode = decode_counters_from_json(json);
  stats.truncation = truncation_from_json(json);
  nlohmann::json flows = json.value("flows", nlohmann::json::object());
  stats.walks.tls = flows.value("tls", uint64_t{0});
  stats.walks.stopped = flows.value("stopped", uint64_t{0});
  stats.walks.not_tls = flows.value("not_tls", uint64_t{0});
  nlohmann::json records = json.value("records_by_type", nlohmann::json::object());
  for (size_t i = 0; i < kTlsContentTypeCount; ++i)
    stats.walks.records_by_type[i] = records.value(std::to_string(kFirstTlsContentType + i), uint64_t{0});
  stats.walks.rules = json.value("rules", uint64_t{0});
  stats.seconds = json.value("seconds", 0.0);
  if (json.contains("engine_differences")) {
    stats.engine_differences = json.at("engine_differences").get<uint64_t>();
    stats.engine_differences_listed = json.value("engine_differences_listed", std::vector<std::string>{});
  }
  return stats;
}

}  // namespace

const char* to_string(WalkStatus status) {
  switch (status) {
    case WalkStatus::tls:
      return "tls";
    case WalkStatus::stopped:
      return "stopped";
    case WalkStatus::not_tls:
      return "not_tls";
  }
  return "unknown";
}

nlohmann::json direction_to_json(const DirectionState& d) {
  return {{"src", address_to_string(d.key.family, d.key.src)},
          {"sport", d.key.sport},
          {"dst", address_to_string(d.key.family, d.key.dst)},
          {"dport", d.key.dport},
          {"generation", d.generation},
          {"syn_seen", d.syn_seen},
          {"data_seen", d.data_seen},
          {"isn", d.isn},
          {"highest", d.highest},
          {"stream_start", d.stream_start}};
}

DirectionState direction_from_json(const nlohmann::json& json) {
  DirectionState d;
  uint8_t dst_family = 0;
  if (!address_from_string(json.at("src").get<std::string>(), d.key.family, d.key.src) ||
      !address_from_string(json.at("dst").get<std::string>(), dst_family, d.key.dst) || dst_family != d.key.family)
    throw std::invalid_argument("bad address in a carried direction");
  d.key.sport = json.at("sport").get<uint16_t>();
  d.key.dport = json.at("dport").get<uint16_t>();
  d.generation = json.at("generation").get<uint32_t>();
  d.syn_seen = json.at("syn_seen").get<bool>();
  d.data_seen = json.at("data_seen").get<bool>();
  d.isn = json.at("isn").get<uint32_t>();
  d.highest = json.at("highest").get<uint64_t>();
  d.stream_start = json.at("stream_start").get<uint64_t>();
  return d;
}

void write_keep_rules(const KeepRuleSet& rules, std::string& out) {
  nlohmann::json carried = nlohmann::json::array();
  for (const DirectionState& direction : rules.carried_directions) carried.push_back(direction_to_json(direction));
  nlohmann::json head = {
      {"format", kFormatName},
      {"version", kKeepRulesPolicyVersion},
      {"policy", policy_to_json(rules.policy)},
      {"engine", rules.engine},
      {"source",
       {{"path", rules.source_path},
        {"size", rules.source.size},
        {"head_fnv1a64", fmt::format("{:016x}", rules.source.head_hash)}}},
      {"stats", stats_to_json(rules.stats)},
  };
  if (!carried.empty()) head["carried_directions"] = carried;
  std::string text = head.dump();
  text.pop_back();  // reopen the object to append the flows one per line
  out += text;
  out += ",\"flows\":[";
  for (size_t i = 0; i < rules.flows.size(); ++i) {
    const FlowRules& flow = rules.flows[i];
    nlohmann::json meta = {
        {"src", address_to_string(flow.key.family, flow.key.src)},
        {"sport", flow.key.sport},
        {"dst", address_to_string(flow.key.family, flow.key.dst)},
        {"dport", flow.key.dport},
        {"generation", flow.generation},
        {"stream_start", flow.stream_start},
        {"walk", to_string(flow.walk)},
        {"walk_end", flow.walk_end},
    };
    if (!flow.stop_reason.empty()) meta["stop_reason"] = flow.stop_reason;
    std::string line = meta.dump();
    line.pop_back();
    out += i == 0 ? "\n" : ",\n";
    out += line;
    out += ",\"rules\":[";
    for (size_t r = 0; r < flow.rules.size(); ++r) {
      const KeepRule& rule = flow.rules[r];
      fmt::format_to(std::back_inserter(out), "{}[{},{},\"{}\",{}]", r == 0 ? "" : ",", rule.seq_start, rule.seq_end,
                     to_string(rule.type), rule.content_type);
    }
    out += "]}";
  }
  out += "\n]}\n";
}

KeepRuleSet parse_keep_rules(const std::string& text, const std::string& origin) {
  if (text.empty()) bad(origin, "empty input");
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) bad(origin, "not JSON");
  if (!doc.is_object() || doc.value("format", "") != kFormatName) bad(origin, "not a pktmask keep-rules file");
  int version = doc.value("version", 0);
  if (version < kKeepRulesFirstVersion || version > kKeepRulesPolicyVersion)
    bad(origin, fmt::format("unsupported version {} (this build reads {} to {})", version, kKeepRulesFirstVersion,
                            kKeepRulesPolicyVersion));
  try {
    KeepRuleSet rules;
    rules.engine = doc.at("engine").get<std::string>();
    const auto& source = doc.at("source");
    rules.source_path = source.at("path").get<std::string>();
    rules.source.size = source.at("size").get<uint64_t>();
    rules.source.head_hash = std::stoull(source.at("head_fnv1a64").get<std::string>(), nullptr, 16);
    rules.stats = stats_from_json(doc.value("stats", nlohmann::json::object()));
    rules.policy =
        version == kKeepRulesPolicyVersion ? policy_from_json(doc.at("policy")) : profile_settings(Profile::tls_only);
    if (version == kKeepRulesCarriedVersion || doc.contains("carried_directions"))
      for (const auto& direction : doc.at("carried_directions"))
        rules.carried_directions.push_back(direction_from_json(direction));
    const auto& flows = doc.at("flows");
    for (size_t i = 0; i < flows.size(); ++i) rules.flows.push_back(parse_flow(flows[i], i, origin));
    return rules;
  } catch (const nlohmann::json::exception& e) {
    bad(origin, e.what());
  } catch (const std::logic_error& e) {
    bad(origin, e.what());
  }
}

void check_rules_policy(const KeepRuleSet& rules, const PolicySettings& wanted, const std::string& shown) {
  if (rules.policy == wanted) return;
  throw Error(
      ExitCode::bad_rules,
      fmt::format("{}: the keep rules were made under {} (settings {}), but masking was asked for {} "
                  "(settings {}): give both commands the same policy options, or mark again",
                  shown, describe(rules.policy), settings_hash(rules.policy), describe(wanted), settings_hash(wanted)));
}

}  // namespace pktmask

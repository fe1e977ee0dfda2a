#include "marker/mark_state.h"

#include <fstream>
#include <sstream>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "common/errors.h"
#include "common/keep_rules.h"
#include "common/output_file.h"

namespace pktmask {

namespace {

constexpr const char* kFormatName = "pktmask-mark-state";
constexpr int kVersion = 1;

std::string to_hex(const uint8_t* bytes, size_t count) {
  std::string text;
  for (size_t i = 0; i < count; ++i) text += fmt::format("{:02x}", bytes[i]);
  return text;
}

std::vector<uint8_t> from_hex(const std::string& text) {
  if (text.size() % 2) throw std::invalid_argument("odd hex string");
  std::vector<uint8_t> bytes;
  for (size_t i = 0; i < text.size(); i += 2)
    bytes.push_back(static_cast<uint8_t>(std::stoul(text.substr(i, 2), nullptr, 16)));
  return bytes;
}

nlohmann::json walk_to_json(const RecordWalk::Snapshot& walk) {
  nlohmann::json pending = nlohmann::json::array();
  for (const auto& [seq, bytes] : walk.pending) pending.push_back({seq, to_hex(bytes.data(), bytes.size())});
  nlohmann::json rules = nlohmann::json::array();
  for (const KeepRule& rule : walk.recent_rules)
    rules.push_back({rule.seq_start, rule.seq_end, rule.type == RuleType::tls_record, rule.content_type});
  return {{"cursor", walk.cursor},
          {"header", to_hex(walk.header.data(), walk.header.size())},
          {"have", walk.have},
          {"stopped", walk.stopped},
          {"stop_reason", walk.stop_reason},
          {"pending", pending},
          {"recent_rules", rules}};
}

RecordWalk::Snapshot walk_from_json(const nlohmann::json& json) {
  RecordWalk::Snapshot walk;
  walk.cursor = json.at("cursor").get<uint64_t>();
  std::vector<uint8_t> header = from_hex(json.at("header").get<std::string>());
  if (header.size() != walk.header.size()) throw std::invalid_argument("bad header bytes");
  std::copy(header.begin(), header.end(), walk.header.begin());
  walk.have = json.at("have").get<uint8_t>();
  walk.stopped = json.at("stopped").get<bool>();
  walk.stop_reason = json.at("stop_reason").get<std::string>();
  for (const auto& held : json.at("pending"))
    walk.pending.emplace_back(held.at(0).get<uint64_t>(), from_hex(held.at(1).get<std::string>()));
  for (const auto& rule : json.at("recent_rules"))
    walk.recent_rules.push_back({rule.at(0).get<uint64_t>(), rule.at(1).get<uint64_t>(),
                                 rule.at(2).get<bool>() ? RuleType::tls_record : RuleType::tls_header,
                                 rule.at(3).get<uint8_t>()});
  return walk;
}

}  // namespace

std::vector<DirectionState> carried_directions(const MarkState* carried) {
  std::vector<DirectionState> directions;
  if (carried)
    for (const CarriedDirection& direction : carried->directions) directions.push_back(direction.direction);
  return directions;
}

MarkState read_mark_state(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) throw Error(ExitCode::bad_rules, fmt::format("{}: cannot open mark state", path));
  std::stringstream text;
  text << file.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(text.str(), nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.value("format", "") != kFormatName ||
      doc.value("version", 0) != kVersion)
    throw Error(ExitCode::bad_rules, fmt::format("{}: not a pktmask mark state (version {})", path, kVersion));
  try {
    MarkState state;
    for (const auto& entry : doc.at("directions")) {
      CarriedDirection carried{direction_from_json(entry.at("flow")), std::nullopt};
      if (entry.contains("walk")) carried.walk = walk_from_json(entry.at("walk"));
      state.directions.push_back(std::move(carried));
    }
    return state;
  } catch (const std::exception& e) {
    throw Error(ExitCode::bad_rules, fmt::format("{}: invalid mark state: {}", path, e.what()));
  }
}

void write_mark_state(const std::string& path, const MarkState& state) {
  OutputFile out(path);
  out.write(fmt::format("{{\"format\":\"{}\",\"version\":{},\"directions\":[", kFormatName, kVersion));
  for (size_t i = 0; i < state.directions.size(); ++i) {
    nlohmann::json entry = {{"flow", direction_to_json(state.directions[i].direction)}};
    if (state.directions[i].walk) entry["walk"] = walk_to_json(*state.directions[i].walk);
    out.write((i == 0 ? "\n" : ",\n") + entry.dump());
  }
  out.write(std::string("\n]}\n"));
  out.commit();
}

}  // namespace pktmask

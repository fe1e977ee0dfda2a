#include "verifier/findings.h"

#include <fmt/format.h>

namespace pktmask::verify {

const char* to_string(Problem problem) {
  switch (problem) {
    case Problem::leaked:
      return "leaked";
    case Problem::lost:
      return "lost";
    case Problem::structural:
      return "structural";
  }
  return "unknown";
}

const char* to_string(ByteClass byte_class) {
  switch (byte_class) {
    case ByteClass::tcp:
      return "tcp";
    case ByteClass::udp:
      return "udp";
    case ByteClass::icmp:
      return "icmp";
    case ByteClass::fragment:
      return "fragment";
    case ByteClass::esp:
      return "esp";
    case ByteClass::trailer:
      return "trailer";
    case ByteClass::undecoded:
      return "undecoded";
    case ByteClass::metadata:
      return "metadata";
    case ByteClass::address:
      return "address";
  }
  return "unknown";
}

std::string Place::to_string() const {
  switch (kind) {
    case Kind::packet:
      return fmt::format("packet {}", number);
    case Kind::record:
      return fmt::format("record at offset {}", number);
    case Kind::file:
      break;
  }
  return "file";
}

void Findings::add(Problem problem, uint64_t count, Place where, std::string what) {
  Tally& tally = by_problem_[static_cast<size_t>(problem)];
  tally.count += count;
  if (tally.first.size() < max_report_) tally.first.push_back({where, std::move(what)});
}

void Findings::add_leak(ByteClass byte_class, uint64_t count, Place where, std::string what) {
  leaked_by_class_[static_cast<size_t>(byte_class)] += count;
  add(Problem::leaked, count, where, std::move(what));
}

bool Findings::ok() const {
  for (const Tally& tally : by_problem_)
    if (tally.count != 0) return false;
  return true;
}

std::string Findings::first_offender(Problem problem) const {
  const Tally& tally = by_problem_[static_cast<size_t>(problem)];
  if (tally.first.empty()) return "";
  return fmt::format("{}: {}", tally.first.front().where.to_string(), tally.first.front().what);
}

void Findings::note_kept_address(Place where, std::string what) {
  if (kept_addresses_++ == 0) first_kept_address_ = Offender{where, std::move(what)};
}

std::string Findings::first_kept_address() const {
  if (!first_kept_address_) return "";
  return fmt::format("{}: {}", first_kept_address_->where.to_string(), first_kept_address_->what);
}

std::string Findings::to_text() const {
  if (ok())
    return fmt::format("verify: ok: {} packets, {} payload bytes kept, {} masked\n", packets, payload_bytes_kept,
                       payload_bytes_masked);
  std::string text = fmt::format("verify: FAILED: {} leaked, {} lost, {} structural\n", count(Problem::leaked),
                                 count(Problem::lost), count(Problem::structural));
  if (count(Problem::leaked) != 0) {
    std::string classes;
    for (size_t i = 0; i < kByteClassCount; ++i)
      if (leaked_by_class_[i] != 0)
        classes += fmt::format("{}{} {}", classes.empty() ? "" : ", ", leaked_by_class_[i],
                               to_string(static_cast<ByteClass>(i)));
    text += fmt::format("leaked by class: {}\n", classes);
  }
  for (const Tally& tally : by_problem_)
    for (const Offender& offender : tally.first)
      text += fmt::format("{}: {}\n", offender.where.to_string(), offender.what);
  return text;
}

nlohmann::json Findings::to_json() const {
  nlohmann::json json = {{"result", ok() ? "ok" : "failed"},
                         {"packets", packets},
                         {"payload_bytes_kept", payload_bytes_kept},
                         {"payload_bytes_masked", payload_bytes_masked}};
  json.update(truncation_json(original_truncation));
  nlohmann::json classes = nlohmann::json::object();
  for (size_t i = 0; i < kByteClassCount; ++i) classes[to_string(static_cast<ByteClass>(i))] = leaked_by_class_[i];
  json["leaked_by_class"] = std::move(classes);
  for (size_t i = 0; i < kProblemCount; ++i) {
    nlohmann::json first = nlohmann::json::array();
    for (const Offender& offender : by_problem_[i].first) {
      nlohmann::json entry = {{"what", offender.what}};
      if (offender.where.kind == Place::Kind::packet) entry["packet"] = offender.where.number;
      if (offender.where.kind == Place::Kind::record) entry["offset"] = offender.where.number;
      first.push_back(std::move(entry));
    }
    json[to_string(static_cast<Problem>(i))] = {{"count", by_problem_[i].count}, {"first", std::move(first)}};
  }
  return json;
}

}  // namespace pktmask::verify

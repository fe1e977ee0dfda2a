#include "report/report_json.h"

#include <ctime>

#include <fmt/format.h>

namespace pktmask::report {

namespace {

using nlohmann::json;

// "2024-05-01T12:00:00.250000Z", or "" for the header of a capture without a
// packet (its times are 0, which is not a time of the capture).
std::string iso_time(int64_t time_us, bool have_time) {
  if (!have_time) return "";
  // Floor division: a time before 1970 still gives 0..999999 microseconds.
  int64_t seconds = time_us / 1000000;
  int64_t micros = time_us % 1000000;
  if (micros < 0) {
    micros += 1000000;
    seconds -= 1;
  }
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  if (::gmtime_r(&t, &tm) == nullptr) return "";
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                     tm.tm_hour, tm.tm_min, tm.tm_sec, micros);
}

json count_json(const Count& count) { return {{"kept", count.kept}, {"zeroed", count.zeroed}}; }

json header_json(const ReportHeader& header) {
  json settings = json::object();
  for (const auto& [name, value] : header.settings) settings[name] = value;
  bool have_time = header.packets > 0;
  return {{"file", header.file},
          {"format", header.format},
          {"link_types", header.link_types},
          {"packets", header.packets},
          {"bytes", header.bytes},
          {"first_time_us", header.first_time_us},
          {"last_time_us", header.last_time_us},
          {"first_time", iso_time(header.first_time_us, have_time)},
          {"last_time", iso_time(header.last_time_us, have_time)},
          {"policy_version", header.policy_version},
          {"profile", header.profile},
          {"settings", settings},
          {"anonymize", header.anonymize},
          {"key_id", header.key_id},
          {"pktmask_version", header.pktmask_version},
          {"subject", header.subject},
          {"sanitized_by", header.sanitized_by},
          {"verdict", header.verdict},
          {"totals", count_json(header.totals)}};
}

json session_json(const SecureSession& session) {
  return {{"protocol", session.protocol},
          {"version", session.version},
          {"cipher_suite", session.cipher_suite},
          {"server_names", session.server_names},
          {"alpn", session.alpn},
          {"certificate_subjects", session.certificate_subjects},
          {"certificate_issuers", session.certificate_issuers}};
}

// Keyed by the names of TLS content types 20..24, which MarkKind lists first
// and in the same order.
json records_json(const std::array<uint64_t, 5>& records) {
  json out = json::object();
  for (size_t i = 0; i < records.size(); ++i) out[to_string(static_cast<MarkKind>(i))] = records[i];
  return out;
}

// Compact: a connection may carry kMaxMarksPerConnection of them.
json marks_json(const std::vector<TimelineMark>& marks) {
  json out = json::array();
  for (const TimelineMark& mark : marks)
    out.push_back({mark.time_us, to_string(mark.kind), mark.from_client ? "c" : "s"});
  return out;
}

json connection_json(const Connection& connection) {
  return {{"id", connection.id},
          {"transport", connection.transport == Transport::tcp ? "tcp" : "udp"},
          {"client", connection.client},
          {"server", connection.server},
          {"first_packet", connection.first_packet},
          {"first_time_us", connection.first_time_us},
          {"last_time_us", connection.last_time_us},
          {"packets", connection.packets},
          {"bytes", count_json(connection.bytes)},
          {"session", session_json(connection.session)},
          {"records", records_json(connection.records)},
          {"walk", connection.walk},
          {"stop_reason", connection.stop_reason},
          {"counts",
           {{"retransmissions", connection.retransmissions}, {"gaps", connection.gaps}, {"resets", connection.resets}}},
          {"marks", marks_json(connection.marks)},
          {"marks_dropped", connection.marks_dropped}};
}

json list_json(const IdentifierList& list) {
  json items = json::array();
  for (const Identifier& item : list.items)
    items.push_back({{"value", item.value}, {"count", item.count}, {"first_packet", item.first_packet}});
  return {{"items", items}, {"more", list.more}};
}

json identifies_json(const StillIdentifies& identifies) {
  return {{"ip_addresses", list_json(identifies.ip_addresses)},
          {"mac_addresses", list_json(identifies.mac_addresses)},
          {"server_names", list_json(identifies.server_names)},
          {"certificate_names", list_json(identifies.certificate_names)},
          {"pcapng_metadata", list_json(identifies.pcapng_metadata)},
          {"undecoded", list_json(identifies.undecoded)}};
}

json series_json(const ByteSeries& series) {
  json bins = json::array();
  for (const Count& bin : series.bins) bins.push_back({bin.kept, bin.zeroed});
  return {{"start_us", series.start_us}, {"bin_us", series.bin_us}, {"bins", bins}};
}

}  // namespace

json report_json(const Report& report) {
  json connections = json::array();
  for (const Connection& connection : report.connections) connections.push_back(connection_json(connection));
  return {{"schema_version", kReportSchemaVersion},
          {"header", header_json(report.header)},
          {"connections", connections},
          {"identifies", identifies_json(report.identifies)},
          {"series", series_json(report.series)}};
}

std::string report_json_text(const Report& report) {
  return report_json(report).dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

}  // namespace pktmask::report

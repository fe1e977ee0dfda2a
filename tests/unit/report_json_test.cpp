#include <catch2/catch.hpp>

#include "report/report_json.h"

using nlohmann::json;
using namespace pktmask::report;

namespace {

Report sample_report() {
  Report report;
  ReportHeader& header = report.header;
  header.file = "trace.pcapng";
  header.format = "pcapng";
  header.link_types = {"EN10MB"};
  header.packets = 3;
  header.bytes = 300;
  header.first_time_us = 1714564800250000;  // 2024-05-01T12:00:00.25Z
  header.last_time_us = 1714564801000000;
  header.profile = "default";
  header.settings = {{"handshake", "keep"}, {"alert", "keep"}};
  header.anonymize = "anonymize=ip";
  header.key_id = "0123456789abcdef";
  header.pktmask_version = "9.9.9";
  header.subject = "original";
  header.verdict = "not run: no original given (--original)";
  header.totals = {.kept = 200, .zeroed = 100};

  Connection connection;
  connection.id = 1;
  connection.transport = Transport::udp;
  connection.client = "[2001:db8::1]:5000";
  connection.server = "192.0.2.1:443";
  connection.first_packet = 2;
  connection.packets = 2;
  connection.bytes = {.kept = 150, .zeroed = 50};
  connection.session.protocol = "DTLS";
  connection.session.server_names = {"(zeroed)"};
  connection.records = {1, 2, 3, 4, 5};
  connection.walk = "stopped";
  connection.stop_reason = "bad record";
  connection.retransmissions = 6;
  connection.gaps = 7;
  connection.resets = 8;
  connection.marks = {{.time_us = 10, .kind = MarkKind::handshake, .from_client = true},
                      {.time_us = 20, .kind = MarkKind::reset, .from_client = false}};
  connection.marks_dropped = 9;
  report.connections.push_back(connection);

  report.identifies.server_names.items = {{.value = "example.com", .count = 4, .first_packet = 2}};
  report.identifies.server_names.more = 11;
  report.series = {.start_us = 1714564800000000, .bin_us = 500000, .bins = {{1, 2}, {3, 4}}};
  return report;
}

}  // namespace

TEST_CASE("report_json gives the header by key, with times as microseconds and ISO-8601 UTC") {
  json out = report_json(sample_report());
  CHECK(out.at("schema_version") == kReportSchemaVersion);
  const json& header = out.at("header");
  CHECK(header.at("file") == "trace.pcapng");
  CHECK(header.at("format") == "pcapng");
  CHECK(header.at("link_types") == json::array({"EN10MB"}));
  CHECK(header.at("packets") == 3);
  CHECK(header.at("bytes") == 300);
  CHECK(header.at("first_time_us") == 1714564800250000);
  CHECK(header.at("first_time") == "2024-05-01T12:00:00.250000Z");
  CHECK(header.at("last_time") == "2024-05-01T12:00:01.000000Z");
  CHECK(header.at("policy_version") == 2);
  CHECK(header.at("settings") == json{{"handshake", "keep"}, {"alert", "keep"}});
  CHECK(header.at("anonymize") == "anonymize=ip");
  CHECK(header.at("key_id") == "0123456789abcdef");
  CHECK(header.at("pktmask_version") == "9.9.9");
  CHECK(header.at("subject") == "original");
  CHECK(header.at("sanitized_by") == "");
  CHECK(header.at("verdict") == "not run: no original given (--original)");
  CHECK(header.at("totals") == json{{"kept", 200}, {"zeroed", 100}});
}

TEST_CASE("report_json leaves the ISO times empty for a capture without packets") {
  json header = report_json(Report{}).at("header");
  CHECK(header.at("first_time") == "");
  CHECK(header.at("last_time") == "");
  CHECK(report_json(Report{}).at("connections") == json::array());
}

TEST_CASE("report_json gives every connection field, records by type name and compact marks") {
  json connection = report_json(sample_report()).at("connections").at(0);
  CHECK(connection.at("id") == 1);
  CHECK(connection.at("transport") == "udp");
  CHECK(connection.at("client") == "[2001:db8::1]:5000");
  CHECK(connection.at("server") == "192.0.2.1:443");
  CHECK(connection.at("first_packet") == 2);
  CHECK(connection.at("packets") == 2);
  CHECK(connection.at("bytes") == json{{"kept", 150}, {"zeroed", 50}});
  CHECK(connection.at("session").at("protocol") == "DTLS");
  CHECK(connection.at("session").at("server_names") == json::array({"(zeroed)"}));
  CHECK(connection.at("session").at("alpn") == json::array());
  CHECK(connection.at("records") ==
        json{{"change_cipher_spec", 1}, {"alert", 2}, {"handshake", 3}, {"application_data", 4}, {"heartbeat", 5}});
  CHECK(connection.at("walk") == "stopped");
  CHECK(connection.at("stop_reason") == "bad record");
  CHECK(connection.at("counts") == json{{"retransmissions", 6}, {"gaps", 7}, {"resets", 8}});
  CHECK(connection.at("marks") == json::parse(R"([[10, "handshake", "c"], [20, "reset", "s"]])"));
  CHECK(connection.at("marks_dropped") == 9);
}

TEST_CASE("report_json lists what still identifies and the byte series") {
  json out = report_json(sample_report());
  CHECK(out.at("identifies").at("server_names") ==
        json::parse(R"({"items": [{"value": "example.com", "count": 4, "first_packet": 2}], "more": 11})"));
  CHECK(out.at("identifies").at("ip_addresses") == json::parse(R"({"items": [], "more": 0})"));
  CHECK(out.at("series") ==
        json::parse(R"({"start_us": 1714564800000000, "bin_us": 500000, "bins": [[1, 2], [3, 4]]})"));
}

TEST_CASE("report_json_text writes bytes that are not UTF-8 as U+FFFD, not a failure") {
  Report report = sample_report();
  report.header.file = "trace\xff.pcap";
  report.header.sanitized_by = "pktmask \xc3";
  json out = json::parse(report_json_text(report));
  CHECK(out.at("header").at("file") == "trace\xef\xbf\xbd.pcap");
  CHECK(out.at("header").at("sanitized_by") == "pktmask \xef\xbf\xbd");
}

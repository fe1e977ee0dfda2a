// The report page (report/report_html.h) and its SVG pictures
// (report/timeline_svg.h) on Reports built by hand: untrusted strings come
// out escaped, the page refers to nothing outside itself, stays small at
// 10 000 connections, says what the timeline leaves out, and carries the
// ids and fragment-facing names the browser tests rely on.

#include <cstdlib>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "report/chart_axis.h"
#include "report/report_html.h"
#include "report/timeline_svg.h"

using namespace pktmask::report;

namespace {

constexpr int64_t kStart = 1765065600000000;  // 2025-12-07T00:00:00Z

size_t occurrences(const std::string& text, const std::string& needle) {
  size_t count = 0;
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + needle.size())) ++count;
  return count;
}

std::string lowercase(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

IdentifierList numbered_list(const std::string& prefix, size_t count) {
  IdentifierList list;
  for (size_t i = 1; i <= count; ++i) list.items.push_back({prefix + std::to_string(i), i, i});
  return list;
}

// Connection n (1-based): a TLS 1.2 connection over `n` ms, with every kind
// of mark, busy in proportion to `packets`.
Connection connection(uint64_t n, uint64_t packets) {
  Connection c;
  c.id = n;
  c.client = "10." + std::to_string(n / 65536 % 256) + "." + std::to_string(n / 256 % 256) + "." +
             std::to_string(n % 256) + ":40000";
  c.server = "192.0.2.1:443";
  c.first_packet = n;
  c.first_time_us = kStart + static_cast<int64_t>(n) * 1000;
  c.last_time_us = c.first_time_us + 500000;
  c.packets = packets;
  c.bytes = {packets * 60, packets * 1000};
  c.session = {.protocol = "TLS",
               .version = "TLS 1.2",
               .cipher_suite = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
               .server_names = {"host" + std::to_string(n) + ".example.com"},
               .alpn = {"h2", "http/1.1"},
               .certificate_subjects = {"CN=host" + std::to_string(n) + ".example.com,O=Example"},
               .certificate_issuers = {"CN=Example CA,O=Example"}};
  c.records = {2, 0, 4, packets, 0};
  c.walk = "tls";
  for (size_t i = 0; i < kMaxMarksPerConnection; ++i) {
    c.marks.push_back(
        {c.first_time_us + static_cast<int64_t>(i) * 3000, static_cast<MarkKind>(i % kMarkKindCount), i % 2 == 0});
  }
  return c;
}

Report report_of(size_t connections, uint64_t (*packets_of)(uint64_t)) {
  Report report;
  ReportHeader& h = report.header;
  h.file = "capture.pcapng";
  h.format = "pcapng";
  h.link_types = {"EN10MB"};
  h.packets = 1000;
  h.bytes = 200000;
  h.first_time_us = kStart;
  h.last_time_us = kStart + 1500000;
  h.profile = "tls-only";
  h.settings = {{"policy", "2"}, {"tls.body", "zero"}};
  h.pktmask_version = "0.1.0";
  h.subject = "original";
  h.verdict = "pass";
  h.totals = {300, 100};
  for (uint64_t n = 1; n <= connections; ++n) report.connections.push_back(connection(n, packets_of(n)));
  report.series.start_us = kStart;
  report.series.bin_us = 10000;
  for (size_t i = 0; i < 150; ++i) report.series.bins.push_back({i * 100, i * 30});
  return report;
}

uint64_t ten_packets(uint64_t) { return 10; }

std::string between(const std::string& text, const std::string& from, const std::string& to) {
  const size_t start = text.find(from);
  REQUIRE(start != std::string::npos);
  const size_t end = text.find(to, start + from.size());
  REQUIRE(end != std::string::npos);
  return text.substr(start + from.size(), end - start - from.size());
}

nlohmann::json embedded_rows(const std::string& html) {
  return nlohmann::json::parse(between(html, "<script type=\"application/json\" id=\"report-data\">", "</script>"));
}

// The value in a row of the embedded JSON by its column key; a string
// column holds an index into the strings.
nlohmann::json cell(const nlohmann::json& data, size_t row, const std::string& key) {
  const auto& keys = data["keys"];
  const auto at = std::find(keys.begin(), keys.end(), key);
  REQUIRE(at != keys.end());
  const auto column = static_cast<size_t>(at - keys.begin());
  const nlohmann::json& value = data["rows"][row][column];
  return data["text"][column] ? data["strings"][value.get<size_t>()] : value;
}

}  // namespace

TEST_CASE("untrusted strings come out escaped and inert everywhere") {
  Report report = report_of(2, ten_packets);
  report.header.file = "a<b>&c.pcap";
  report.connections[0].session.server_names = {"<script>alert(1)</script>"};
  report.connections[1].session.certificate_subjects = {"CN=a\"b'c&d"};
  report.identifies.server_names.items = {{"<script>alert(1)</script>", 3, 4}};
  report.identifies.pcapng_metadata.items = {{"comment: </script><!--", 1, 1}};
  report.identifies.certificate_names.items = {{"CN=a\"b'c&d", 2, 5}};
  const std::string html = report_html(report);

  // Only the page's own two scripts: the data and the code.
  CHECK(occurrences(html, "<script") == 2);
  CHECK(occurrences(html, "</script>") == 2);
  CHECK(html.find("<!--") == std::string::npos);
  CHECK(html.find("alert(1)</") == std::string::npos);
  CHECK(html.find("<title>pktmask report: a&lt;b&gt;&amp;c.pcap</title>") != std::string::npos);
  CHECK(html.find("<li data-value=\"&lt;script&gt;alert(1)&lt;/script&gt;\" data-count=\"3\" data-first=\"4\">") !=
        std::string::npos);
  CHECK(html.find("<span class=\"v\">comment: &lt;/script&gt;&lt;!--</span>") != std::string::npos);
  CHECK(html.find("data-value=\"CN=a&quot;b&#39;c&amp;d\"") != std::string::npos);

  // The embedded rows still hold the strings as they were.
  const nlohmann::json data = embedded_rows(html);
  CHECK(cell(data, 0, "sni") == "<script>alert(1)</script>");
  CHECK(cell(data, 1, "cert_subject") == "CN=a\"b'c&d");
}

TEST_CASE("the page refers to nothing outside itself") {
  Report report = report_of(3, ten_packets);
  report.identifies.ip_addresses = numbered_list("10.0.0.", 3);
  std::string html = lowercase(report_html(report));
  const std::string xmlns = "xmlns=\"http://www.w3.org/2000/svg\"";
  for (size_t at = html.find(xmlns); at != std::string::npos; at = html.find(xmlns)) html.erase(at, xmlns.size());
  CHECK(html.find("http://") == std::string::npos);
  CHECK(html.find("https://") == std::string::npos);
  CHECK(html.find("src=") == std::string::npos);
  CHECK(html.find("href=") == std::string::npos);
  CHECK(html.find("url(") == std::string::npos);
  CHECK(html.find("@import") == std::string::npos);
  CHECK(html.find("<link") == std::string::npos);
}

TEST_CASE("the page carries the ids, lists and names tests rely on") {
  Report report = report_of(3, ten_packets);
  report.identifies.ip_addresses = numbered_list("10.0.0.", 3);
  report.identifies.server_names.more = 5;
  const std::string html = report_html(report);
  for (const char* id : {"summary", "run", "settings", "identifies", "connections", "row-count", "filter", "prev",
                         "next", "page-info", "report-data", "timeline", "timeline-caption", "bytes-chart"}) {
    CAPTURE(id);
    CHECK(html.find(std::string("id=\"") + id + "\"") != std::string::npos);
  }
  for (const char* key :
       {"id",          "transport",    "client",          "server", "protocol", "cipher",     "sni",
        "alpn",        "cert_subject", "cert_issuer",     "ccs",    "alert",    "handshake",  "app_data",
        "heartbeat",   "walk",         "retransmissions", "gaps",   "resets",   "bytes_kept", "bytes_zeroed",
        "first_packet"}) {
    CAPTURE(key);
    CHECK(html.find(std::string("<th data-key=\"") + key + "\"") != std::string::npos);
  }
  CHECK(html.find("<li data-value=\"10.0.0.2\" data-count=\"2\" data-first=\"2\">") != std::string::npos);
  CHECK(html.find("<ul data-list=\"mac_addresses\" class=\"empty\"><li class=\"none\">none</li></ul>") !=
        std::string::npos);
  CHECK(html.find("and 5 more distinct values") != std::string::npos);
  CHECK(html.find("<tr data-field=\"time_span\"><th>Time span (UTC)</th><td>2025-12-07T00:00:00.000000Z to "
                  "2025-12-07T00:00:01.500000Z") != std::string::npos);
  CHECK(html.find("(25.0 % zeroed)") != std::string::npos);
  CHECK(html.find("original: shows what these settings would keep") != std::string::npos);
  CHECK(html.find("<span id=\"row-count\">3 connections</span>") != std::string::npos);
  CHECK(html.find("class=\"mark mark-handshake\"") != std::string::npos);
  CHECK(html.find("class=\"mark mark-application-data\"") != std::string::npos);
  CHECK(html.find("class=\"mark mark-reset\"") != std::string::npos);
  CHECK(html.find("<p id=\"timeline-caption\">Showing all 3 connections.</p>") != std::string::npos);
  CHECK(html.find("lane-all") == std::string::npos);
  CHECK(occurrences(html, "<g class=\"lane\" data-id=") == 3);
  CHECK(occurrences(html, "<g class=\"bin\">") == 149);  // every bin but the empty first
  CHECK(embedded_rows(html)["rows"].size() == 3);
}

namespace {

// Every 50th connection is busy: those 200 are the timeline's lanes.
uint64_t every_50th_busy(uint64_t n) { return n % 50 == 0 ? 1000 : 1; }

}  // namespace

TEST_CASE("10 000 connections: the busiest lanes, a caption that says so, and a page under 5 MB") {
  Report report = report_of(10000, every_50th_busy);
  report.connections[49].marks_dropped = 70;
  report.identifies.ip_addresses = numbered_list("10.1.2.", 10000);
  report.identifies.server_names = numbered_list("a-rather-long-server-name.example.com/", 10000);
  report.identifies.certificate_names = numbered_list("CN=a-rather-long-server-name.example.com,O=Example ", 10000);
  const std::string html = report_html(report);
  CAPTURE(html.size());
  CHECK(html.size() < 5000000);
  CHECK(html.find("<p id=\"timeline-caption\">Showing 200 of 10000 connections (the busiest); the top lane "
                  "aggregates all.") != std::string::npos);
  CHECK(html.find("at most 128 records per connection are drawn") != std::string::npos);
  CHECK(occurrences(html, "<g class=\"lane\" data-id=") == 200);
  CHECK(occurrences(html, "<g class=\"lane lane-all\"") == 1);
  CHECK(html.find("all 10000 connections") != std::string::npos);
  CHECK(html.find("<g class=\"lane\" data-id=\"50\"") != std::string::npos);
  CHECK(html.find("<g class=\"lane\" data-id=\"10000\"") != std::string::npos);
  CHECK(html.find("<g class=\"lane\" data-id=\"49\"") == std::string::npos);
  CHECK(embedded_rows(html)["rows"].size() == 10000);
  CHECK(html.find("id=\"rows-note\"") == std::string::npos);
}

namespace {

uint64_t by_id(uint64_t n) { return n; }

}  // namespace

TEST_CASE("100 000 connections: the table embeds the 20 000 busiest and says so") {
  Report report = report_of(100000, by_id);
  for (Connection& c : report.connections) c.marks.clear();
  const std::string html = report_html(report);
  CAPTURE(html.size());
  CHECK(html.size() < 5000000);
  const nlohmann::json data = embedded_rows(html);
  REQUIRE(data["rows"].size() == 20000);
  CHECK(cell(data, 0, "cipher") == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  CHECK(data["total"] == 100000);
  CHECK(cell(data, 0, "id") == 80001);
  CHECK(cell(data, 19999, "id") == 100000);
  CHECK(html.find("The table holds the 20,000 busiest of 100,000 connections") != std::string::npos);
}

// Not run by ctest: writes a full sample page for a look in a browser, to
// $PKTMASK_SAMPLE_REPORT (default /tmp/report-sample.html).
TEST_CASE("a sample page", "[.sample]") {
  Report report = report_of(260, every_50th_busy);
  report.identifies.ip_addresses = numbered_list("10.0.0.", 12);
  report.identifies.mac_addresses = numbered_list("02:00:00:00:00:0", 3);
  report.identifies.server_names = numbered_list("host", 8);
  report.identifies.server_names.items.push_back({"<script>alert(1)</script>", 1, 9});
  report.identifies.pcapng_metadata.items = {{"comment: </script><!--", 1, 1}, {"if_name: eth0", 1, 1}};
  report.connections[3].walk = "stopped";
  report.connections[3].stop_reason = "record length 65535 over the limit";
  report.connections[3].marks_dropped = 12;
  const char* path = std::getenv("PKTMASK_SAMPLE_REPORT");
  std::ofstream(path != nullptr ? path : "/tmp/report-sample.html") << report_html(report);
}

TEST_CASE("chart axes tick at round steps") {
  std::vector<std::string> labels;
  for (const Tick& tick : time_ticks(1500000, 10)) labels.push_back(tick.label);
  CHECK(labels == std::vector<std::string>{"0 s", "0.2 s", "0.4 s", "0.6 s", "0.8 s", "1 s", "1.2 s", "1.4 s"});
  CHECK(time_ticks(int64_t{10} * 365 * 24 * 3600 * 1000000, 10).size() <= 10);
  labels.clear();
  for (const Tick& tick : byte_ticks(19500, 6)) labels.push_back(tick.label);
  CHECK(labels == std::vector<std::string>{"0 B", "5 kB", "10 kB", "15 kB", "20 kB"});
}

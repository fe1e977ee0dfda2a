#include "report/connection_rows.h"

#include <unordered_map>

#include "report/busiest.h"

namespace pktmask::report {

namespace {

std::string lines(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) {
    if (!out.empty()) out += '\n';
    out += value;
  }
  return out;
}

std::string protocol_text(const SecureSession& session) {
  if (session.version.empty()) return session.protocol;
  return session.version;
}

// Each distinct string once: cipher suites, issuers, servers and verdicts
// repeat across thousands of rows.
struct StringTable {
  std::vector<std::string> values{};
  std::unordered_map<std::string, size_t> indices{};

  size_t index(const std::string& value) {
    const auto [at, added] = indices.try_emplace(value, values.size());
    if (added) values.push_back(value);
    return at->second;
  }
};

// In the order of table_columns(), then the stop reason.
nlohmann::json row(const Connection& c) {
  const SecureSession& s = c.session;
  return nlohmann::json::array({c.id,
                                c.transport == Transport::tcp ? "TCP" : "UDP",
                                c.client,
                                c.server,
                                protocol_text(s),
                                s.cipher_suite,
                                lines(s.server_names),
                                lines(s.alpn),
                                lines(s.certificate_subjects),
                                lines(s.certificate_issuers),
                                c.records[0],
                                c.records[1],
                                c.records[2],
                                c.records[3],
                                c.records[4],
                                c.walk,
                                c.retransmissions,
                                c.gaps,
                                c.resets,
                                c.bytes.kept,
                                c.bytes.zeroed,
                                c.first_packet,
                                c.stop_reason});
}

}  // namespace

const std::vector<Column>& table_columns() {
  static const std::vector<Column> columns = {
      {"id", "#", "connection number, in order of first packet", true},
      {"transport", "L4", "transport", false},
      {"client", "Client", "client address:port (the first sender)", false},
      {"server", "Server", "server address:port", false},
      {"protocol", "Protocol", "TLS, DTLS or QUIC version as the output shows it", false},
      {"cipher", "Cipher suite", "negotiated cipher suite", false},
      {"sni", "SNI", "server names as the output holds them", false},
      {"alpn", "ALPN", "application protocols offered or chosen", false},
      {"cert_subject", "Cert subject", "certificate subjects the output shows", false},
      {"cert_issuer", "Cert issuer", "certificate issuers the output shows", false},
      {"ccs", "CCS", "change_cipher_spec records", true},
      {"alert", "Alert", "alert records", true},
      {"handshake", "HS", "handshake records", true},
      {"app_data", "App", "application data records", true},
      {"heartbeat", "HB", "heartbeat records", true},
      {"walk", "Walk", "record walk: tls, stopped (with why), not_tls; for UDP the walker's verdict", false},
      {"retransmissions", "Retr", "TCP retransmissions", true},
      {"gaps", "Gaps", "TCP segments past a hole in the stream", true},
      {"resets", "RST", "TCP segments with RST", true},
      {"bytes_kept", "Kept", "bytes kept (headers count as kept)", true},
      {"bytes_zeroed", "Zeroed", "bytes zeroed by masking", true},
      {"first_packet", "First pkt", "packet number of the first packet", true},
  };
  return columns;
}

nlohmann::json connection_rows(const Report& report) {
  nlohmann::json keys = nlohmann::json::array();
  nlohmann::json text = nlohmann::json::array();
  for (const Column& column : table_columns()) {
    keys.push_back(column.key);
    text.push_back(!column.numeric);
  }
  keys.push_back("stop_reason");
  text.push_back(true);
  StringTable strings;
  nlohmann::json rows = nlohmann::json::array();
  for (size_t index : busiest_connections(report.connections, kMaxTableRows)) {
    nlohmann::json cells = row(report.connections[index]);
    for (auto& cell : cells) {
      if (cell.is_string()) cell = strings.index(cell.get<std::string>());
    }
    rows.push_back(std::move(cells));
  }
  return {{"keys", std::move(keys)},
          {"text", std::move(text)},
          {"strings", std::move(strings.values)},
          {"rows", std::move(rows)},
          {"total", report.connections.size()}};
}

}  // namespace pktmask::report

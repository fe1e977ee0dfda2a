#pragma once
// What `pktmask report` shows (docs/report.md): typed data, filled by the
// collector (report/report_collector.h) during the masker's pass and turned
// into HTML (report/report_html.h) and JSON (report/report_json.h) only at
// the edges. Every address, name and byte count in it is what the OUTPUT
// holds: anonymized where the output is, and a name the policy zeroed shows
// as zeroed, not as it was.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pktmask::report {

// The report's JSON "schema_version" (docs/report.md); raised on any change
// a script reading the JSON could notice.
inline constexpr int kReportSchemaVersion = 1;

struct Count {
  uint64_t kept = 0;    // bytes left as they were (headers count as kept)
  uint64_t zeroed = 0;  // bytes masking set to zero
};

// The run that the report describes.
struct ReportHeader {
  std::string file{};                     // the capture as the user named it
  std::string format{};                   // "pcap" or "pcapng"
  std::vector<std::string> link_types{};  // e.g. "EN10MB", "LINUX_SLL2", in order of first use
  uint64_t packets = 0;
  uint64_t bytes = 0;         // captured packet bytes
  int64_t first_time_us = 0;  // 0 with no packet
  int64_t last_time_us = 0;
  int policy_version = 2;
  std::string profile{};
  std::vector<std::pair<std::string, std::string>> settings{};  // setting_texts() of the run
  std::string anonymize{};                                      // e.g. "ip,mac", "" when off
  std::string key_id{};                                         // of --key, "" when not anonymizing
  std::string pktmask_version{};
  // "sanitized": the report is of a sanitize run's own output (sanitize --report);
  // "original": of a capture read as is, showing what the settings would keep;
  // "sanitized" also for `report --original` and an input pktmask wrote.
  std::string subject{};
  // Set when the input itself says pktmask wrote it (its pcapng SHB application).
  std::string sanitized_by{};
  // The verification of the output against its original, when both were at
  // hand: "pass", "fail: <first finding>", or "not run: <why>".
  std::string verdict{};
  Count totals{};
};

enum class Transport : uint8_t { tcp, udp };

// TLS, DTLS or QUIC as far as the output still shows it; empty strings for
// what it does not show.
struct SecureSession {
  std::string protocol{};                   // "TLS", "DTLS", "QUIC" or "" (none seen)
  std::string version{};                    // negotiated: "TLS 1.3", "DTLS 1.2", "QUIC v1"; else the offered maximum
  std::string cipher_suite{};               // IANA name where known, else "0x1301"
  std::vector<std::string> server_names{};  // SNI host names as the output holds them; "(zeroed)" for a zeroed one
  std::vector<std::string> alpn{};
  std::vector<std::string> certificate_subjects{};  // RFC 2253 text of each certificate the output shows
  std::vector<std::string> certificate_issuers{};
};

// One TLS record, or another event of a connection, placed in time.
enum class MarkKind : uint8_t {
  change_cipher_spec,  // TLS content types 20..24, in this order
  alert,
  handshake,
  application_data,
  heartbeat,
  retransmission,  // a TCP segment wholly below what its direction had already seen
  gap,             // a TCP segment past a hole in its direction's stream
  reset,           // a segment with RST
};
constexpr size_t kMarkKindCount = 8;
const char* to_string(MarkKind kind);

struct TimelineMark {
  int64_t time_us = 0;
  MarkKind kind = MarkKind::handshake;
  bool from_client = true;  // direction: client (first sender) to server, or back
};

// The marks a connection keeps for the timeline: the first kMaxMarks; the
// rest only counted (docs/report.md says so).
inline constexpr size_t kMaxMarksPerConnection = 128;

struct Connection {
  uint64_t id = 0;  // 1-based, in order of first packet
  Transport transport = Transport::tcp;
  std::string client{};  // "addr:port" as the output holds it ("[v6]:port" for IPv6)
  std::string server{};
  uint64_t first_packet = 0;  // packet number, 1-based
  int64_t first_time_us = 0;
  int64_t last_time_us = 0;
  uint64_t packets = 0;
  Count bytes{};  // all bytes of its packets
  SecureSession session{};
  std::array<uint64_t, 5> records{};  // TLS/DTLS records by content type 20..24, as the walk found them
  std::string walk{};  // "tls", "stopped", "not_tls" (TCP); for UDP the walker's verdict, e.g. "dtls", "quic", "none"
  std::string stop_reason{};  // where walk is "stopped"
  uint64_t retransmissions = 0;
  uint64_t gaps = 0;
  uint64_t resets = 0;
  std::vector<TimelineMark> marks{};  // at most kMaxMarksPerConnection
  uint64_t marks_dropped = 0;
};

// One kind of identifying value the output still holds.
struct Identifier {
  std::string value{};        // address text, MAC, host name, option text
  uint64_t count = 0;         // packets (or blocks) it appears in
  uint64_t first_packet = 0;  // 1-based packet (or record) number of its first appearance
};

// Distinct values kept per list; beyond it only `more` counts.
inline constexpr size_t kMaxIdentifiersPerList = 10000;

struct IdentifierList {
  std::vector<Identifier> items{};  // in order of first appearance
  uint64_t more = 0;                // distinct values past kMaxIdentifiersPerList, not listed
};

struct StillIdentifies {
  IdentifierList ip_addresses{};  // every IPv4/IPv6 address site of the output's headers
  IdentifierList mac_addresses{};
  IdentifierList server_names{};       // SNI host names
  IdentifierList certificate_names{};  // subjects and issuers of certificates the output shows
  IdentifierList pcapng_metadata{};    // "shb_hardware: ...", "if_name: eth0", "comment: ..." kept in the output
  IdentifierList undecoded;            // one per UndecodedReason whose packets keep undecoded bytes: value = reason
};

// Bytes kept and zeroed over time, in bins of equal width.
struct ByteSeries {
  int64_t start_us = 0;
  int64_t bin_us = 1000000;
  std::vector<Count> bins{};  // at most kMaxBins
};
inline constexpr size_t kMaxBins = 512;

struct Report {
  ReportHeader header{};
  std::vector<Connection> connections{};  // in id order
  StillIdentifies identifies{};
  ByteSeries series{};
};

}  // namespace pktmask::report

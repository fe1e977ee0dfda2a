#pragma once
// Builders for real packet bytes used across the unit tests.

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

#include "common/byte_range.h"
#include "common/keep_rules.h"

namespace pktmask {
// "begin-end", so that a failed comparison of kept ranges shows them.
std::ostream& operator<<(std::ostream& out, const ByteRange& range);
}  // namespace pktmask

namespace pktmask::test {

using Bytes = std::vector<uint8_t>;

// Parses "de ad be ef" (spaces optional).
Bytes hex(const std::string& text);
Bytes concat(std::initializer_list<Bytes> parts);
Bytes slice(const Bytes& bytes, size_t from, size_t to);
// A TLS 1.2 record: 5-byte header, then `length` bytes of `fill`.
Bytes tls_record(uint8_t type, size_t length, uint8_t fill = 0xaa);

// A TLS 1.3 ClientHello message (header included, 168 bytes) built by hand,
// with these offsets from its first byte:
//   0 header (01 00 00 a4), 4 version, 6 random, 38 session id (32 bytes),
//   71 cipher suites, 77 compression methods, 79 extensions length (87),
//   81 server_name: 85 list length, 87 name type, 88 name length,
//      90..101 host name "example.com";
//  101 session_ticket: 105..109 ticket data;
//  109 supported_versions (TLS 1.3);
//  116 pre_shared_key: 120 identities length, 122 identity length,
//      124..129 identity "ident", 129 ticket age, 133 binders length,
//      135 binder length, 136..168 one 32-byte binder.
// anonymous keeps [0,90) [101,105) [109,124) [129,168).
Bytes client_hello();

// A TCP header (20 bytes, no options) with a zero checksum.
Bytes tcp_header(uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags);
// IPv4 header (20 bytes) with a correct header checksum around `payload_length` bytes.
Bytes ipv4_header(uint8_t protocol, size_t payload_length, const std::string& src = "0a000001",
                  const std::string& dst = "0a000002");
Bytes ipv6_header(uint8_t next_header, size_t payload_length);
Bytes ethernet_header(uint16_t ethertype);
// The decoder tests' segment: 40000 -> 443, seq 7, PSH/ACK, 20-byte header and the
// 7 payload bytes kSmallPayload (27 bytes); alone, after an IPv4 header (47) or an IPv6 header (67).
inline const Bytes kSmallPayload = {0x16, 0x03, 0x01, 0x00, 0x02, 0x01, 0x02};
Bytes small_tcp_segment();
Bytes ipv4_small_tcp();
Bytes ipv6_small_tcp();
// `count` bytes of `value`: padding, trailers, opaque payloads.
inline Bytes filler(size_t count, uint8_t value = 0xee) { return Bytes(count, value); }

// Ethernet + IPv4 + TCP + payload, with a correct TCP checksum.
Bytes tcp_packet(uint32_t seq, uint8_t flags, const Bytes& payload, uint16_t sport = 40000, uint16_t dport = 443);
// Sets the TCP checksum of a packet whose TCP header starts at `tcp_offset` (IPv4 at tcp_offset - 20).
void fix_ipv4_tcp_checksum(Bytes& packet, size_t tcp_offset);

// Bytes [from, to) of `stream` in a PSH/ACK packet from tcp_packet(), sent
// in a direction whose SYN had sequence number `isn`.
Bytes stream_packet(uint32_t isn, const Bytes& stream, size_t from, size_t to, uint16_t sport = 40000,
                    uint16_t dport = 443);
// The whole of `stream` so, cut at the offsets `cuts`.
std::vector<Bytes> stream_packets(uint32_t isn, const Bytes& stream, const std::vector<size_t>& cuts,
                                  uint16_t sport = 40000, uint16_t dport = 443);

// A client (port 40000, ISN kIsn) and a server (port 443, ISN `server_isn`)
// after their SYNs, each sending its stream cut at its cuts, the two
// directions' packets interleaved one by one.
std::vector<Bytes> interleaved_conversation(const Bytes& to_server, const std::vector<size_t>& to_server_cuts,
                                            uint32_t server_isn, const Bytes& to_client,
                                            const std::vector<size_t>& to_client_cuts);

// A little-endian, microsecond pcap file of Ethernet packets, one a second.
Bytes pcap_file(const std::vector<Bytes>& packets);

// Little-endian pcapng blocks: the body is padded to 4 bytes and framed by its length.
Bytes pcapng_block(uint32_t type, const Bytes& body);
Bytes pcapng_section_header(int64_t section_length, const Bytes& options = {});
// One option, its value padded to 4 bytes; opt_endofopt is pcapng_option(0, "").
Bytes pcapng_option(uint16_t code, const std::string& value);
Bytes pcapng_ethernet_interface();
Bytes pcapng_packet(const Bytes& data);  // an Enhanced Packet Block on interface 0
Bytes pcapng_secrets(const std::string& key_log);

// A TLS byte stream built record by record, and what the masking policy
// keeps of it, stated from how it was built: each record's 5-byte header,
// and the body too unless it is ApplicationData (23).
struct TlsStream {
  struct Record {
    size_t start;     // offset of the header in the stream
    size_t kept_end;  // end of what the policy keeps: the header, or the whole record
    uint8_t type;
  };
  Bytes bytes;
  std::vector<Record> records;

  TlsStream& record(uint8_t type, size_t length, uint8_t fill = 0xaa);
  // The stream with every byte the policy does not keep zeroed.
  Bytes masked() const;
  // The policy's rules for the stream, which starts at logical sequence number `stream_start`.
  std::vector<KeepRule> rules(uint64_t stream_start) const;
};

// The stream most stage tests use, and how they cut it: four records with
// headers at 0, 45, 150 and 185 (Handshake 40 bytes, ApplicationData 100
// and 30, Alert 2); the cuts split three headers, one into a 1-byte segment.
// Sent by the client of tcp_packet() after a SYN with sequence number kIsn,
// so its first byte has logical sequence number kStreamStart.
TlsStream four_records();
inline const std::vector<size_t> kFourRecordCuts = {20, 47, 48, 152, 186};
constexpr uint32_t kIsn = 1000;
constexpr uint64_t kStreamStart = kLogicalBase + kIsn + 1;

// Rules as text with offsets from `stream_start`, for readable comparisons:
// "0-45 record 22, 45-50 header 23, 55-60 part 22".
std::string rules_text(const std::vector<KeepRule>& rules, uint64_t stream_start);

}  // namespace pktmask::test

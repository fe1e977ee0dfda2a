#include "packet_bytes.h"

#include <algorithm>
#include <stdexcept>

#include "common/checksum.h"

namespace pktmask {

std::ostream& operator<<(std::ostream& out, const ByteRange& range) { return out << range.begin << "-" << range.end; }

}  // namespace pktmask

namespace pktmask::test {

Bytes hex(const std::string& text) {
  Bytes out;
  std::string digits;
  for (char c : text)
    if (c != ' ') digits += c;
  if (digits.size() % 2) throw std::invalid_argument("odd hex");
  for (size_t i = 0; i < digits.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
  return out;
}

Bytes client_hello() {
  return concat({hex("01 0000a4 0303"), Bytes(32, 0x11), hex("20"), Bytes(32, 0x22), hex("0004 1301 1302 01 00 0057"),
                 hex("0000 0010 000e 00 000b"), Bytes{'e', 'x', 'a', 'm', 'p', 'l', 'e', '.', 'c', 'o', 'm'},
                 hex("0023 0004 aabbccdd"), hex("002b 0003 02 0304"), hex("0029 0030 000b 0005"),
                 Bytes{'i', 'd', 'e', 'n', 't'}, hex("01020304 0021 20"), Bytes(32, 0x33)});
}

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
}

Bytes slice(const Bytes& bytes, size_t from, size_t to) {
  return Bytes(bytes.begin() + static_cast<ptrdiff_t>(from), bytes.begin() + static_cast<ptrdiff_t>(to));
}

Bytes tls_record(uint8_t type, size_t length, uint8_t fill) {
  Bytes r(5 + length, fill);
  r[0] = type;
  r[1] = 3;
  r[2] = 3;
  r[3] = uint8_t(length >> 8);
  r[4] = uint8_t(length);
  return r;
}

Bytes tcp_header(uint16_t sport, uint16_t dport, uint32_t seq, uint8_t flags) {
  return {uint8_t(sport >> 8),
          uint8_t(sport),
          uint8_t(dport >> 8),
          uint8_t(dport),
          uint8_t(seq >> 24),
          uint8_t(seq >> 16),
          uint8_t(seq >> 8),
          uint8_t(seq),
          0,
          0,
          0,
          1,
          0x50,
          flags,
          0xff,
          0xff,
          0,
          0,
          0,
          0};
}

Bytes ipv4_header(uint8_t protocol, size_t payload_length, const std::string& src, const std::string& dst) {
  size_t total = 20 + payload_length;
  Bytes header = concat({hex("45 00"),
                         {uint8_t(total >> 8), uint8_t(total)},
                         hex("12 34 40 00 40"),
                         {protocol},
                         hex("00 00"),
                         hex(src),
                         hex(dst)});
  uint16_t sum = static_cast<uint16_t>(~ones_complement_sum(header, 0));
  header[10] = uint8_t(sum >> 8);
  header[11] = uint8_t(sum);
  return header;
}

Bytes ipv6_header(uint8_t next_header, size_t payload_length) {
  return concat({hex("60 00 00 00"),
                 {uint8_t(payload_length >> 8), uint8_t(payload_length), next_header, 64},
                 hex("fd000000000000000000000000000001"),
                 hex("fd000000000000000000000000000002")});
}

Bytes ethernet_header(uint16_t ethertype) {
  return concat({hex("020000000002 020000000001"), {uint8_t(ethertype >> 8), uint8_t(ethertype)}});
}

Bytes small_tcp_segment() { return concat({tcp_header(40000, 443, 7, 0x18), kSmallPayload}); }
Bytes ipv4_small_tcp() { return concat({ipv4_header(6, 27), small_tcp_segment()}); }
Bytes ipv6_small_tcp() { return concat({ipv6_header(6, 27), small_tcp_segment()}); }

void fix_ipv4_tcp_checksum(Bytes& packet, size_t tcp_offset) {
  size_t ip = tcp_offset - 20;
  size_t segment = packet.size() - tcp_offset;
  uint32_t pseudo = 6 + uint32_t(segment);
  for (size_t i = 0; i < 8; i += 2) pseudo += uint32_t(packet[ip + 12 + i] << 8 | packet[ip + 13 + i]);
  packet[tcp_offset + 16] = packet[tcp_offset + 17] = 0;
  uint16_t sum = static_cast<uint16_t>(~ones_complement_sum({packet.data() + tcp_offset, segment}, pseudo));
  packet[tcp_offset + 16] = uint8_t(sum >> 8);
  packet[tcp_offset + 17] = uint8_t(sum);
}

Bytes tcp_packet(uint32_t seq, uint8_t flags, const Bytes& payload, uint16_t sport, uint16_t dport) {
  Bytes packet = concat(
      {ethernet_header(0x0800), ipv4_header(6, 20 + payload.size()), tcp_header(sport, dport, seq, flags), payload});
  fix_ipv4_tcp_checksum(packet, 34);
  return packet;
}

Bytes stream_packet(uint32_t isn, const Bytes& stream, size_t from, size_t to, uint16_t sport, uint16_t dport) {
  return tcp_packet(isn + 1 + static_cast<uint32_t>(from), 0x18, slice(stream, from, to), sport, dport);
}

std::vector<Bytes> stream_packets(uint32_t isn, const Bytes& stream, const std::vector<size_t>& cuts, uint16_t sport,
                                  uint16_t dport) {
  std::vector<Bytes> packets;
  size_t from = 0;
  for (size_t i = 0; i <= cuts.size(); ++i) {
    size_t to = i < cuts.size() ? cuts[i] : stream.size();
    packets.push_back(stream_packet(isn, stream, from, to, sport, dport));
    from = to;
  }
  return packets;
}

std::vector<Bytes> interleaved_conversation(const Bytes& to_server, const std::vector<size_t>& to_server_cuts,
                                            uint32_t server_isn, const Bytes& to_client,
                                            const std::vector<size_t>& to_client_cuts) {
  constexpr uint8_t kSyn = 0x02, kAck = 0x10;
  std::vector<Bytes> client = stream_packets(kIsn, to_server, to_server_cuts);
  std::vector<Bytes> server = stream_packets(server_isn, to_client, to_client_cuts, 443, 40000);
  std::vector<Bytes> packets = {tcp_packet(kIsn, kSyn, {}), tcp_packet(server_isn, kSyn | kAck, {}, 443, 40000)};
  for (size_t i = 0; i < std::max(client.size(), server.size()); ++i) {
    if (i < client.size()) packets.push_back(client[i]);
    if (i < server.size()) packets.push_back(server[i]);
  }
  return packets;
}

namespace {

Bytes le32(uint32_t value) { return {uint8_t(value), uint8_t(value >> 8), uint8_t(value >> 16), uint8_t(value >> 24)}; }

}  // namespace

Bytes pcap_file(const std::vector<Bytes>& packets) {
  Bytes file = hex("d4c3b2a1 0200 0400 00000000 00000000 ffff0000 01000000");
  uint32_t second = 1;
  for (const Bytes& packet : packets) {
    auto length = static_cast<uint32_t>(packet.size());
    file = concat({file, le32(second++), le32(0), le32(length), le32(length), packet});
  }
  return file;
}

Bytes pcapng_block(uint32_t type, const Bytes& body) {
  Bytes padded = body;
  padded.resize((body.size() + 3) / 4 * 4);
  Bytes length = le32(static_cast<uint32_t>(padded.size() + 12));
  return concat({le32(type), length, padded, length});
}

Bytes pcapng_section_header(int64_t section_length, const Bytes& options) {
  auto length = static_cast<uint64_t>(section_length);
  return pcapng_block(
      0x0a0d0d0a, concat({hex("4d3c2b1a 0100 0000"), le32(uint32_t(length)), le32(uint32_t(length >> 32)), options}));
}

Bytes pcapng_option(uint16_t code, const std::string& value) {
  Bytes out(4 + ((value.size() + 3) & ~size_t{3}), 0);
  out[0] = uint8_t(code);
  out[1] = uint8_t(code >> 8);
  out[2] = uint8_t(value.size());
  out[3] = uint8_t(value.size() >> 8);
  std::copy(value.begin(), value.end(), out.begin() + 4);
  return out;
}

Bytes pcapng_ethernet_interface() { return pcapng_block(1, hex("0100 0000 00000000")); }

Bytes pcapng_packet(const Bytes& data) {
  auto length = static_cast<uint32_t>(data.size());
  return pcapng_block(6, concat({le32(0), le32(0), le32(1000000), le32(length), le32(length), data}));
}

Bytes pcapng_secrets(const std::string& key_log) {
  return pcapng_block(0x0a, concat({hex("4b534c54"), le32(static_cast<uint32_t>(key_log.size())),
                                    Bytes(key_log.begin(), key_log.end())}));
}

TlsStream& TlsStream::record(uint8_t type, size_t length, uint8_t fill) {
  size_t start = bytes.size();
  records.push_back({start, type == 23 ? start + 5 : start + 5 + length, type});
  bytes = concat({bytes, tls_record(type, length, fill)});
  return *this;
}

Bytes TlsStream::masked() const {
  Bytes out(bytes.size(), 0);
  for (const Record& r : records)
    std::copy(bytes.begin() + static_cast<ptrdiff_t>(r.start), bytes.begin() + static_cast<ptrdiff_t>(r.kept_end),
              out.begin() + static_cast<ptrdiff_t>(r.start));
  return out;
}

std::vector<KeepRule> TlsStream::rules(uint64_t stream_start) const {
  std::vector<KeepRule> rules;
  for (const Record& r : records)
    rules.push_back({stream_start + r.start, stream_start + r.kept_end,
                     r.type == 23 ? RuleType::tls_header : RuleType::tls_record, r.type});
  return rules;
}

TlsStream four_records() {
  return TlsStream().record(22, 40, 0x11).record(23, 100, 0x22).record(23, 30, 0x33).record(21, 2, 0x44);
}

std::string rules_text(const std::vector<KeepRule>& rules, uint64_t stream_start) {
  std::string text;
  for (const KeepRule& rule : rules)
    text += (text.empty() ? "" : ", ") + std::to_string(rule.seq_start - stream_start) + "-" +
            std::to_string(rule.seq_end - stream_start) +
            (rule.type == RuleType::tls_header   ? " header "
             : rule.type == RuleType::tls_record ? " record "
                                                 : " part ") +
            std::to_string(rule.content_type);
  return text;
}

}  // namespace pktmask::test

#include "packet_bytes.h"

#include <stdexcept>

#include "common/checksum.h"

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

Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const Bytes& part : parts) out.insert(out.end(), part.begin(), part.end());
  return out;
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

}  // namespace pktmask::test

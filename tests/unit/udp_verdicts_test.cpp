#include <cstdint>
#include <vector>

#include <catch2/catch.hpp>

#include "verifier/udp_verdicts.h"

using namespace pktmask;
using namespace pktmask::verify;

namespace {

using Bytes = std::vector<uint8_t>;

FlowKey key(uint16_t sport, uint16_t dport) {
  FlowKey k;
  k.family = 4;
  k.src = {10, 0, 0, 1};
  k.dst = {10, 0, 0, 2};
  k.sport = sport;
  k.dport = dport;
  return k;
}

FlowKey reversed(FlowKey k) {
  std::swap(k.src, k.dst);
  std::swap(k.sport, k.dport);
  return k;
}

struct Expected {
  size_t begin;
  size_t end;
  Verdict verdict;
  bool operator==(const PayloadStretch& s) const { return s.begin == begin && s.end == end && s.verdict == verdict; }
};

bool same(const std::vector<PayloadStretch>& got, const std::vector<Expected>& want) {
  if (got.size() != want.size()) return false;
  for (size_t i = 0; i < got.size(); ++i)
    if (!(want[i] == got[i])) return false;
  return true;
}

std::vector<PayloadStretch> judged(UdpVerdicts& verdicts, const FlowKey& k, const Bytes& payload) {
  std::vector<PayloadStretch> stretches;
  verdicts.judge(k, payload, stretches);
  return stretches;
}

}  // namespace

TEST_CASE("plain UDP payloads are all zero; keep-udp keeps a port's") {
  PolicySettings settings;
  UdpVerdicts verdicts(settings);
  Bytes dns = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 3, 'w', 'w', 'w'};
  CHECK(judged(verdicts, key(5353, 53), dns).empty());
  settings.keep_udp = {53};
  CHECK(same(judged(verdicts, key(5353, 53), dns), {{0, 16, Verdict::kept}}));
  CHECK(same(judged(verdicts, key(53, 5353), dns), {{0, 16, Verdict::kept}}));
}

TEST_CASE("DTLS: headers and handshake bodies kept, application data zero") {
  PolicySettings settings;
  UdpVerdicts verdicts(settings);
  // handshake (epoch 0, 3-byte body), application data (epoch 1, 2 bytes), then garbage.
  Bytes datagram = {22,   0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, 0, 3,    0xaa, 0xbb, 0xcc, 23,
                    0xfe, 0xfd, 0,    1, 0, 0, 0, 0, 0, 2, 0, 2, 0xdd, 0xee, 0x99, 0x99};
  CHECK(same(judged(verdicts, key(4433, 5000), datagram),
             {{0, 13, Verdict::kept}, {13, 16, Verdict::kept}, {16, 29, Verdict::kept}}));
  settings.handshake = HandshakeDetail::headers;
  CHECK(same(judged(verdicts, key(4433, 5000), datagram),
             {{0, 13, Verdict::kept}, {13, 16, Verdict::either}, {16, 29, Verdict::kept}}));
  settings.dtls = false;
  CHECK(judged(verdicts, key(4433, 5000), datagram).empty());
}

TEST_CASE("DTLS: a record longer than its datagram ends the walk") {
  PolicySettings settings;
  UdpVerdicts verdicts(settings);
  Bytes datagram = {21, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 1, 0, 9, 1, 2};
  CHECK(judged(verdicts, key(1, 2), datagram).empty());
}

TEST_CASE("QUIC: long-header invariants kept; short headers only on a tuple seen with long ones") {
  PolicySettings settings;
  UdpVerdicts verdicts(settings);
  Bytes short_header = {0x41, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23};
  CHECK(judged(verdicts, key(443, 50000), short_header).empty());
  // Initial, version 1, DCID 2 bytes, SCID 1 byte, then token length and more.
  Bytes initial = {0xc0, 0, 0, 0, 1, 2, 0xd1, 0xd2, 1, 0x51, 0, 0x40, 0x10, 0x77};
  CHECK(same(judged(verdicts, key(50000, 443), initial), {{0, 10, Verdict::kept}}));
  CHECK(same(judged(verdicts, reversed(key(50000, 443)), short_header), {{0, 21, Verdict::either}}));
  Bytes unknown = {0xc0, 0x1a, 0x2a, 0x3a, 0x4a, 1, 0xd1, 0, 0x40};
  CHECK(judged(verdicts, key(50001, 443), unknown).empty());
  settings.quic = false;
  CHECK(judged(verdicts, key(50000, 443), initial).empty());
}

// The UDP walkers on hand-written datagrams. Every expected range is worked
// out by hand from the datagram's layout, written beside it.

#include <catch2/catch.hpp>

#include "masker/udp_walk.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;

namespace {

using Ranges = std::vector<ByteRange>;

FlowKey udp_key(uint8_t src_host, uint16_t sport, uint8_t dst_host, uint16_t dport) {
  FlowKey key;
  key.family = 4;
  key.src = {10, 0, 0, src_host};
  key.dst = {10, 0, 0, dst_host};
  key.sport = sport;
  key.dport = dport;
  return key;
}
const FlowKey kClient = udp_key(1, 50000, 2, 443);
const FlowKey kServer = udp_key(2, 443, 1, 50000);

Ranges kept(UdpWalker& walker, const FlowKey& key, const Bytes& datagram) {
  Ranges ranges;
  walker.kept(key, datagram, ranges);
  return ranges;
}
Ranges kept(const PolicySettings& settings, const Bytes& datagram, const FlowKey& key = kClient) {
  UdpWalker walker(settings);
  return kept(walker, key, datagram);
}

// A DTLS 1.2 record: type, version fe fd, `epoch`, sequence number 1, then
// the length and the body.
Bytes dtls_record(uint8_t type, uint8_t epoch, const Bytes& body) {
  const auto length = static_cast<uint8_t>(body.size());
  return concat({{type, 0xfe, 0xfd, 0x00, epoch, 0, 0, 0, 0, 0, 1, 0x00, length}, body});
}
Bytes filled(size_t length, uint8_t fill = 0xaa) { return Bytes(length, fill); }

}  // namespace

TEST_CASE("dtls: a DTLS 1.2 handshake flight of several records is kept whole") {
  // ServerHello at 0 (13 + 10), Certificate at 23 (13 + 4), CCS at 40 (13 + 1): 54 bytes.
  const Bytes flight = concat({dtls_record(22, 0, filled(10)), dtls_record(22, 0, filled(4)), dtls_record(20, 0, {1})});
  CHECK(kept(PolicySettings{}, flight) == Ranges{{0, 54}});
}

TEST_CASE("dtls: records of epoch 1 are encrypted: kept whole, but handshake bodies under headers") {
  // Finished (22) at 0 (13 + 8), Alert (21) at 21 (13 + 2): 36 bytes.
  const Bytes datagram = concat({dtls_record(22, 1, filled(8)), dtls_record(21, 1, filled(2))});
  CHECK(kept(PolicySettings{}, datagram) == Ranges{{0, 36}});
  PolicySettings anonymous;
  anonymous.handshake = HandshakeDetail::anonymous;
  CHECK(kept(anonymous, datagram) == Ranges{{0, 36}});
  PolicySettings headers;
  headers.handshake = HandshakeDetail::headers;
  CHECK(kept(headers, datagram) == Ranges{{0, 13}, {21, 36}});
}

TEST_CASE("dtls: application data (23) and type 25 bodies are zero, even in epoch 0") {
  // 23 at 0 (13 + 5), 25 at 18 (13 + 3), 21 at 34 (13 + 2): 49 bytes.
  const Bytes datagram =
      concat({dtls_record(23, 0, filled(5)), dtls_record(25, 0, filled(3)), dtls_record(21, 0, {2, 40})});
  CHECK(kept(PolicySettings{}, datagram) == Ranges{{0, 13}, {18, 31}, {34, 49}});
}

TEST_CASE("dtls: the walk stops at the first implausible header") {
  const Bytes first = dtls_record(22, 0, filled(4));  // 17 bytes, kept whole
  // A TLS (not DTLS) version after it.
  CHECK(kept(PolicySettings{}, concat({first, hex("16 03 03 00 00 00 00 00 00 00 00 00 02 aa aa")})) ==
        Ranges{{0, 17}});
  // A length past the end of the datagram: 100 declared, 5 present.
  CHECK(kept(PolicySettings{}, concat({first, hex("16 fe fd 00 00 00 00 00 00 00 02 00 64"), filled(5)})) ==
        Ranges{{0, 17}});
  // A length over 18432 (0x4801), with the bytes present.
  CHECK(kept(PolicySettings{}, concat({first, hex("16 fe fd 00 00 00 00 00 00 00 02 48 01"), filled(18433)})) ==
        Ranges{{0, 17}});
  // A type out of range (26), then a record that would be plausible.
  CHECK(kept(PolicySettings{}, concat({first, dtls_record(26, 0, filled(2)), first})) == Ranges{{0, 17}});
  // Eight bytes left: no room for a 13-byte header.
  CHECK(kept(PolicySettings{}, concat({first, filled(8, 0x16)})) == Ranges{{0, 17}});
}

TEST_CASE("dtls: a DTLS 1.3 unified header ends the walk") {
  // 0x2c = 0b00101100: unified header with C=0, S=1, L=1, epoch bits 00.
  const Bytes datagram = concat({dtls_record(22, 0, filled(4)), hex("2c 00 01 00 05 aa bb cc dd ee")});
  CHECK(kept(PolicySettings{}, datagram) == Ranges{{0, 17}});
  // A datagram that begins with one is not walked at all.
  CHECK(kept(PolicySettings{}, hex("2c 00 01 00 05 aa bb cc dd ee")).empty());
}

TEST_CASE("dtls: the tls option chooses which bodies are kept") {
  PolicySettings settings;
  settings.tls.alert = false;
  settings.tls.ccs = false;
  // CCS at 0 (13 + 1), Alert at 14 (13 + 2), Handshake at 29 (13 + 3), Heartbeat at 45 (13 + 3): 61 bytes.
  const Bytes datagram = concat({dtls_record(20, 0, {1}), dtls_record(21, 0, {2, 40}), dtls_record(22, 0, filled(3)),
                                 dtls_record(24, 0, filled(3))});
  CHECK(kept(settings, datagram) == Ranges{{0, 13}, {14, 27}, {29, 61}});
}

TEST_CASE("dtls: handshake=headers keeps the 12-byte message headers of each fragment") {
  PolicySettings settings;
  settings.handshake = HandshakeDetail::headers;
  // One record, body 29 bytes: message at 13 (12 + 3), message at 28 (12 + 2).
  const Bytes body =
      hex("02 00 00 03 00 00 00 00 00 00 00 03 aa bb cc"
          "0e 00 00 02 00 01 00 00 00 00 00 02 dd ee");
  CHECK(kept(settings, dtls_record(22, 0, body)) == Ranges{{0, 25}, {28, 40}});
  // A fragment whose length overruns the record: the rest of the body is zero.
  const Bytes bad = hex("02 00 00 03 00 00 00 00 00 00 00 03 aa bb cc 0e 00 00 09 00 01 00 00 00 00 00 09 dd ee");
  CHECK(kept(settings, dtls_record(22, 0, bad)) == Ranges{{0, 25}});
}

TEST_CASE("dtls: handshake=anonymous zeroes the SNI host name, session ticket and PSK identity of a ClientHello") {
  PolicySettings settings;
  settings.handshake = HandshakeDetail::anonymous;
  // The message body (97 bytes), offsets from its start:
  //  0..42 version, random, empty session_id and cookie, one suite, null compression
  // 42..44 extensions length (53)
  // 44..62 server_name: 4 header, 2 list length, 1 type, 2 length, 53..62 "localhost" (zero)
  // 62..70 session_ticket: 4 header, 66..70 ticket (zero)
  // 70..77 supported_versions
  // 77..97 pre_shared_key: 4 header, 2 identities length, 2 identity length, 85..88 identity (zero),
  //        4 age, 2 binders length, 3 binders
  const Bytes hello =
      concat({hex("fe fd"), filled(32, 0x11), hex("00 00 00 02 c0 2b 01 00"), hex("00 35"),
              hex("00 00 00 0e 00 0c 00 00 09 6c 6f 63 61 6c 68 6f 73 74"), hex("00 23 00 04 de ad be ef"),
              hex("00 2b 00 03 02 fe fc"), hex("00 29 00 10 00 09 00 03 69 64 21 00 00 00 07 00 03 02 bb bb")});
  REQUIRE(hello.size() == 97);
  const Bytes message = concat({hex("01 00 00 61 00 00 00 00 00 00 00 61"), hello});
  // The body starts at 13 + 12 = 25 in the datagram.
  CHECK(kept(settings, dtls_record(22, 0, message)) ==
        Ranges{{0, 25 + 53}, {25 + 62, 25 + 66}, {25 + 70, 25 + 85}, {25 + 88, 25 + 97}});
  // A Certificate keeps its 3-byte list length only: record 13, header 12, body at 25.
  const Bytes certificate = hex("0b 00 00 0a 00 01 00 00 00 00 00 0a 00 00 07 00 00 04 30 82 01 02");
  CHECK(kept(settings, dtls_record(22, 0, certificate)) == Ranges{{0, 28}});
}

TEST_CASE("quic: an Initial long header keeps its invariant fields, v1 and v2") {
  // v1: c3, version 1, DCID 8 bytes, SCID 5 bytes: 1 + 4 + 1 + 8 + 1 + 5 = 20 bytes, then token length,
  // length, packet number and payload (zero).
  const Bytes v1 = concat({hex("c3 00 00 00 01 08 01 02 03 04 05 06 07 08 05 0a 0b 0c 0d 0e 00 40 14"), filled(20)});
  CHECK(kept(PolicySettings{}, v1) == Ranges{{0, 20}});
  // v2: empty DCID, SCID 4 bytes: 1 + 4 + 1 + 1 + 4 = 11.
  const Bytes v2 = concat({hex("d3 6b 33 43 cf 00 04 0a 0b 0c 0d 00 40 14"), filled(20)});
  CHECK(kept(PolicySettings{}, v2) == Ranges{{0, 11}});
  // draft-29 (ff00001d), DCID 1 byte, SCID none: 1 + 4 + 1 + 1 + 1 = 8.
  CHECK(kept(PolicySettings{}, concat({hex("c0 ff 00 00 1d 01 99 00 00 40 05"), filled(5)})) == Ranges{{0, 8}});
}

TEST_CASE("quic: version negotiation keeps its CIDs, not its version list") {
  // 80, version 0, DCID 4, SCID 8: 1 + 4 + 1 + 4 + 1 + 8 = 19, then two versions.
  const Bytes negotiation = hex("80 00 00 00 00 04 01 02 03 04 08 11 12 13 14 15 16 17 18 00 00 00 01 6b 33 43 cf");
  CHECK(kept(PolicySettings{}, negotiation) == Ranges{{0, 19}});
}

TEST_CASE("quic: an unknown version, a CID over 20 bytes or a header cut short keeps nothing") {
  CHECK(kept(PolicySettings{}, concat({hex("c3 1a 2a 3a 4a 04 01 02 03 04 00"), filled(20)})).empty());
  CHECK(kept(PolicySettings{}, concat({hex("c3 00 00 00 01 15"), filled(40)})).empty());  // DCID 21
  CHECK(kept(PolicySettings{}, hex("c3 00 00 00 01 08 01 02 03")).empty());               // DCID cut
}

TEST_CASE("quic: only the first packet of a coalesced datagram keeps its invariant fields") {
  // Initial (v1, DCID 4, SCID 2: invariants 1 + 4 + 1 + 4 + 1 + 2 = 13), length 3, then a Handshake packet.
  const Bytes datagram =
      hex("c0 00 00 00 01 04 01 02 03 04 02 0a 0b 00 03 aa bb cc"
          "e0 00 00 00 01 04 01 02 03 04 02 0a 0b 03 aa bb cc");
  CHECK(kept(PolicySettings{}, datagram) == Ranges{{0, 13}});
}

TEST_CASE("quic: a short header keeps its first byte and the DCID its receiver announced") {
  UdpWalker walker(PolicySettings{});
  // The client announces SCID length 5, the server SCID length 6.
  const Bytes client_initial = concat({hex("c3 00 00 00 01 08 01 02 03 04 05 06 07 08 05 c1 c2 c3 c4 c5"), filled(10)});
  const Bytes server_initial = concat({hex("c3 00 00 00 01 05 c1 c2 c3 c4 c5 06 51 52 53 54 55 56"), filled(10)});
  // Before any long header on the 4-tuple, a short header keeps nothing.
  const Bytes to_server = concat({hex("43 51 52 53 54 55 56"), filled(12)});
  const Bytes to_client = concat({hex("43 c1 c2 c3 c4 c5"), filled(12)});
  CHECK(kept(walker, kClient, to_server).empty());
  CHECK(kept(walker, kClient, client_initial) == Ranges{{0, 20}});
  // The client has spoken, the server not yet: the client's SCID length is known, the server's not.
  CHECK(kept(walker, kServer, to_client) == Ranges{{0, 6}});
  CHECK(kept(walker, kClient, to_server) == Ranges{{0, 1}});
  CHECK(kept(walker, kServer, server_initial) == Ranges{{0, 18}});
  CHECK(kept(walker, kClient, to_server) == Ranges{{0, 7}});
  CHECK(kept(walker, kServer, to_client) == Ranges{{0, 6}});
  // Another 4-tuple (another client port) has seen no long header.
  CHECK(kept(walker, udp_key(1, 50001, 2, 443), to_server).empty());
  // A short header shorter than its DCID keeps its first byte.
  CHECK(kept(walker, kClient, hex("43 51 52")) == Ranges{{0, 1}});
}

TEST_CASE("quic: the table of 4-tuples is bounded; the least recently seen is forgotten") {
  UdpWalker walker(PolicySettings{}, 1);
  const Bytes initial = hex("c3 00 00 00 01 00 02 0a 0b");  // empty DCID, SCID 2: 9 bytes kept
  const FlowKey other = udp_key(3, 50000, 2, 443);
  CHECK(kept(walker, kClient, initial) == Ranges{{0, 9}});
  CHECK(kept(walker, other, initial) == Ranges{{0, 9}});
  CHECK(kept(walker, kServer, hex("43 0a 0b ff")).empty());
  CHECK(kept(walker, udp_key(2, 443, 3, 50000), hex("43 0a 0b ff")) == Ranges{{0, 3}});
}

TEST_CASE("udp: keep-udp ports keep their payload whole; other datagrams and disabled walkers keep nothing") {
  PolicySettings settings;
  settings.keep_udp = {53};
  const Bytes query = hex("12 34 01 00 00 01 00 00 00 00 00 00 07 65 78 61 6d 70 6c 65 00 00 01 00 01");
  CHECK(kept(settings, query, udp_key(1, 40000, 2, 53)) == Ranges{{0, query.size()}});
  CHECK(kept(settings, query, udp_key(2, 53, 1, 40000)) == Ranges{{0, query.size()}});
  CHECK(kept(PolicySettings{}, query, udp_key(1, 40000, 2, 53)).empty());

  PolicySettings strict;
  strict.dtls = false;
  strict.quic = false;
  CHECK(kept(strict, dtls_record(22, 0, filled(4))).empty());
  CHECK(kept(strict, hex("c3 00 00 00 01 00 02 0a 0b")).empty());
}

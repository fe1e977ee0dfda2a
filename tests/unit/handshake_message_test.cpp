// What the handshake option keeps of one message body, on hand-written
// bodies; expected ranges are worked out by hand beside each.

#include <catch2/catch.hpp>

#include "common/handshake_message.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;
using test::slice;

namespace {

using Ranges = std::vector<ByteRange>;

// What is kept of `body`, captured from `offset` on, of a body declared `declared` bytes long from there.
Ranges kept(uint8_t type, const Bytes& body, HandshakeDetail detail = HandshakeDetail::anonymous, size_t offset = 0,
            size_t declared = 0) {
  Ranges ranges;
  const HandshakeBody message = {
      .type = type, .bytes = body, .declared_length = declared ? declared : body.size(), .offset = offset, .base = 100};
  handshake_body_kept(message, detail, ranges);
  return ranges;
}
Ranges kept_cut(const Bytes& body, size_t captured) {
  return kept(1, slice(body, 0, captured), HandshakeDetail::anonymous, 0, body.size());
}

// A TLS ClientHello body (61 bytes): 0..41 version, random, empty session_id,
// one suite, null compression; 41..43 extensions length (18); 43..61
// server_name: 4 header, 2 list length, 1 type, 2 length (50..52), host name
// "localhost" at 52..61.
const Bytes kHello = concat({hex("03 03"), Bytes(32, 0x11), hex("00 00 02 13 01 01 00 00 12"),
                             hex("00 00 00 0e 00 0c 00 00 09 6c 6f 63 61 6c 68 6f 73 74")});

}  // namespace

TEST_CASE("handshake_message: full keeps the body, headers keeps none of it") {
  CHECK(kept(1, kHello, HandshakeDetail::full) == Ranges{{100, 161}});
  CHECK(kept(1, kHello, HandshakeDetail::headers).empty());
  CHECK(kept(11, hex("00 00 03 00 00 00"), HandshakeDetail::headers).empty());
}

TEST_CASE("handshake_message: anonymous zeroes the SNI host name of a TLS ClientHello") {
  REQUIRE(kHello.size() == 61);
  CHECK(kept(1, kHello) == Ranges{{100, 152}});
  // No extensions at all: everything is known.
  CHECK(kept(1, slice(kHello, 0, 41)) == Ranges{{100, 141}});
}

TEST_CASE("handshake_message: a ClientHello is zero from the first byte whose meaning is unknown") {
  // Captured up to inside the random: the random is a field cut short.
  CHECK(kept_cut(kHello, 20).empty());
  // Captured up to inside the host name length (50..52): zero from 50.
  CHECK(kept_cut(kHello, 51) == Ranges{{100, 150}});
  // Captured up to inside the host name: its length is kept.
  CHECK(kept_cut(kHello, 55) == Ranges{{100, 152}});
  // A body declared 40 bytes long, whose cipher suites (length at 35) would end at 39: the compression
  // methods' length at 39 fits, their content does not.
  CHECK(kept(1, slice(kHello, 0, 40), HandshakeDetail::anonymous, 0, 40) == Ranges{{100, 140}});
  // An extensions length (at 41) of 48 overruns the body: zero from 43.
  Bytes bad_length = kHello;
  bad_length[42] = 0x30;
  CHECK(kept(1, bad_length) == Ranges{{100, 143}});
  // A byte after the extensions has no meaning.
  CHECK(kept(1, concat({kHello, hex("ff")})) == Ranges{{100, 152}});
  // A fragment that does not start the body cannot be parsed.
  CHECK(kept(1, slice(kHello, 10, 61), HandshakeDetail::anonymous, 10).empty());
}

TEST_CASE("handshake_message: anonymous keeps a Certificate's list length and a ticket's lifetime and length") {
  // Certificate: list length 7, one certificate of 4 bytes.
  CHECK(kept(11, hex("00 00 07 00 00 04 30 82 01 02")) == Ranges{{100, 103}});
  // A fragment at message offset 2: one byte of the list length, then certificates.
  CHECK(kept(11, hex("07 00 00 04 30"), HandshakeDetail::anonymous, 2) == Ranges{{100, 101}});
  // NewSessionTicket: lifetime 4, length 2, ticket 4.
  CHECK(kept(4, hex("00 00 1c 20 00 04 de ad be ef")) == Ranges{{100, 106}});
  // Other messages are kept whole.
  CHECK(kept(2, hex("03 03 aa bb")) == Ranges{{100, 104}});
}

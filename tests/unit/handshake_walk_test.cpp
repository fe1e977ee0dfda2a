// The handshake walk over a direction's Handshake record bodies, and the
// marker's rules with handshake=anonymous|headers and the `tls` bodies
// option. Expected ranges are counted by hand from how each stream was built
// (test::client_hello() lists its offsets).

#include <catch2/catch.hpp>

#include "marker/handshake_walk.h"
#include "marker/marker.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;
using test::slice;

namespace {

using Ranges = std::vector<SeqRange>;

// Records given by where their bodies start, after CCS or not, and their bodies.
struct Body {
  uint64_t start;
  bool after_ccs;
  Bytes bytes;
};

HandshakeStream stream_of(const std::vector<Body>& bodies) {
  HandshakeStream stream;
  for (const Body& body : bodies) {
    stream.records.push_back({body.start, static_cast<uint32_t>(body.bytes.size()), body.after_ccs});
    stream.bytes.insert(stream.bytes.end(), body.bytes.begin(), body.bytes.end());
  }
  stream.captured.assign(stream.bytes.size(), true);
  return stream;
}

Bytes finished() { return concat({hex("14 00000c"), Bytes(12, 0x55)}); }
Bytes client_key_exchange() { return concat({hex("10 000006"), Bytes(6, 0x66)}); }
Bytes encrypted() { return Bytes(40, 0x9a); }
Bytes server_hello(const std::string& extensions) {
  Bytes body = concat({hex("0303"), Bytes(32, 0x44), hex("00 c02f 00"), hex(extensions)});
  return concat({hex("02 0000"), Bytes{static_cast<uint8_t>(body.size())}, body});
}
Bytes certificate() { return concat({hex("0b 00000c 000009 000006"), Bytes(6, 0x30)}); }

}  // namespace

namespace pktmask {
std::ostream& operator<<(std::ostream& out, const SeqRange& range) { return out << range.start << "-" << range.end; }
}  // namespace pktmask

TEST_CASE("handshake walk: a ClientHello spanning two records") {
  // Body bytes 0..100 of the message at 105, the rest at 210 (a record header between).
  Bytes hello = test::client_hello();
  HandshakeStream stream = stream_of({{105, false, slice(hello, 0, 100)}, {210, false, slice(hello, 100, 168)}});
  CHECK(handshake_kept(stream, HandshakeDetail::anonymous, std::nullopt) ==
        Ranges{{105, 195}, {211, 215}, {219, 234}, {239, 278}});
  CHECK(handshake_kept(stream, HandshakeDetail::headers, std::nullopt) == Ranges{{105, 109}});
}

TEST_CASE("handshake walk: messages spanning records, several in one record, headers split") {
  // ServerHello (0..49), Certificate (49..65), ServerHelloDone (65..69),
  // cut at 30 and 52 (inside the Certificate's header): stream offsets
  // 0..30 at 5, 30..52 at 40, 52..69 at 70.
  Bytes messages = concat({server_hello("0005 ff01 0001 00"), certificate(), hex("0e 000000")});
  REQUIRE(messages.size() == 69);
  HandshakeStream stream = stream_of(
      {{5, false, slice(messages, 0, 30)}, {40, false, slice(messages, 30, 52)}, {70, false, slice(messages, 52, 69)}});
  // The Certificate keeps 49..56: 59..62 and 70..74.
  CHECK(handshake_kept(stream, HandshakeDetail::anonymous, 0x0303) == Ranges{{5, 35}, {40, 62}, {70, 74}, {83, 87}});
  CHECK(handshake_kept(stream, HandshakeDetail::headers, 0x0303) == Ranges{{5, 9}, {59, 62}, {70, 71}, {83, 87}});
}

TEST_CASE("handshake walk: anonymous keeps a Certificate's list length and a NewSessionTicket's lifetime and length") {
  // TLS 1.2 Certificate (list length 9, one 6-byte certificate), then a
  // NewSessionTicket (lifetime, length 8, an 8-byte ticket), then Finished.
  Bytes messages = concat({certificate(), hex("04 00000e 00001c20 0008"), Bytes(8, 0x77), finished()});
  HandshakeStream stream = stream_of({{5, false, messages}});
  CHECK(handshake_kept(stream, HandshakeDetail::anonymous, 0x0303) == Ranges{{5, 12}, {21, 31}, {39, 55}});
  // A TLS 1.3 Certificate (2-byte request context first) is read by the
  // same layout: its context length and two more bytes, no certificate byte.
  Bytes tls13 = concat({hex("0b 000011 02 abcd 00000b 000006"), Bytes(6, 0x30), hex("0000")});
  CHECK(handshake_kept(stream_of({{5, false, tls13}}), HandshakeDetail::anonymous, kTls13Version) == Ranges{{5, 12}});
}

TEST_CASE("handshake walk: a ClientHello is zero from its first byte not captured") {
  HandshakeStream stream = stream_of({{5, false, test::client_hello()}});
  stream.captured[60] = false;  // inside the session id
  CHECK(handshake_kept(stream, HandshakeDetail::anonymous, std::nullopt) == Ranges{{5, 65}});
}

TEST_CASE("handshake walk: a message header in a gap stops the walk") {
  Bytes messages = concat({finished(), hex("0e 000000"), finished()});
  HandshakeStream stream = stream_of({{5, false, messages}, {46, true, encrypted()}});
  CHECK(handshake_kept(stream, HandshakeDetail::anonymous, 0x0303) == Ranges{{5, 41}, {46, 86}});
  // A gap in a body does not stop it; a gap in the next header does, and the
  // encrypted record after it goes too.
  // (The byte never captured is left out: no packet holds it.)
  stream.captured[10] = false;
  CHECK(handshake_kept(stream, HandshakeDetail::anonymous, 0x0303) == Ranges{{5, 15}, {16, 41}, {46, 86}});
  stream.captured[18] = false;
  CHECK(handshake_kept(stream, HandshakeDetail::anonymous, 0x0303) == Ranges{{5, 15}, {16, 21}});
  CHECK(handshake_kept(stream, HandshakeDetail::headers, 0x0303) == Ranges{{5, 9}});
}

TEST_CASE("handshake walk: TLS 1.2, the record after ChangeCipherSpec is encrypted") {
  HandshakeStream stream = stream_of({{5, false, client_key_exchange()}, {21, true, encrypted()}});
  CHECK(handshake_kept(stream, HandshakeDetail::anonymous, 0x0303) == Ranges{{5, 15}, {21, 61}});
  CHECK(handshake_kept(stream, HandshakeDetail::headers, 0x0303) == Ranges{{5, 9}});
  // Even if it parses as a message: the version says it is encrypted.
  stream = stream_of({{5, false, client_key_exchange()}, {21, true, finished()}});
  CHECK(handshake_kept(stream, HandshakeDetail::headers, 0x0303) == Ranges{{5, 9}});
}

TEST_CASE("handshake walk: TLS 1.3, a second ClientHello after the compatibility ChangeCipherSpec is walked") {
  HandshakeStream stream = stream_of({{5, false, client_key_exchange()}, {21, true, test::client_hello()}});
  CHECK(handshake_kept(stream, HandshakeDetail::anonymous, kTls13Version) ==
        Ranges{{5, 15}, {21, 111}, {122, 126}, {130, 145}, {150, 189}});
  CHECK(handshake_kept(stream, HandshakeDetail::headers, kTls13Version) == Ranges{{5, 9}, {21, 25}});
}

TEST_CASE(
    "handshake walk: an unknown version, a record after ChangeCipherSpec is plaintext only if it parses exactly") {
  HandshakeStream parses = stream_of({{5, false, client_key_exchange()}, {21, true, finished()}});
  CHECK(handshake_kept(parses, HandshakeDetail::headers, std::nullopt) == Ranges{{5, 9}, {21, 25}});
  HandshakeStream random = stream_of({{5, false, client_key_exchange()}, {21, true, encrypted()}});
  CHECK(handshake_kept(random, HandshakeDetail::headers, std::nullopt) == Ranges{{5, 9}});
  CHECK(handshake_kept(random, HandshakeDetail::anonymous, std::nullopt) == Ranges{{5, 15}, {21, 61}});
}

TEST_CASE("handshake walk: bytes past the bound are zero") {
  // One 2 MiB message of a type kept whole: kept up to the bound only.
  Bytes big = concat({hex("0f 200000"), Bytes(2 << 20, 0x01)});
  HandshakeStream stream = stream_of({{5, false, big}});
  stream.bytes.resize(kMaxHandshakeStreamBytes);
  stream.captured.resize(kMaxHandshakeStreamBytes);
  CHECK(handshake_kept(stream, HandshakeDetail::anonymous, 0x0303) == Ranges{{5, 5 + kMaxHandshakeStreamBytes}});
}

TEST_CASE("selected_version reads the direction's ServerHello") {
  CHECK(selected_version(stream_of({{5, false, server_hello("0006 002b 0002 0304")}})) == kTls13Version);
  CHECK(selected_version(stream_of({{5, false, server_hello("")}})) == 0x0303);
  CHECK(!selected_version(stream_of({{5, false, client_key_exchange()}})));
}

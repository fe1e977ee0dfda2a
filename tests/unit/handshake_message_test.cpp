// What handshake=anonymous keeps of single handshake messages built by hand;
// the expected ranges are counted from how each message was built.

#include <catch2/catch.hpp>

#include "common/handshake_message.h"
#include "packet_bytes.h"

using namespace pktmask;
using test::Bytes;
using test::concat;
using test::hex;

namespace {

using Ranges = std::vector<MessageRange>;

constexpr HandshakeDialect kTls12Layout{};
constexpr HandshakeDialect kTls13Layout{.dtls = false, .tls13 = true};

Ranges kept(const Bytes& message, HandshakeDialect dialect = kTls12Layout, size_t known = SIZE_MAX) {
  // TLS and DTLS headers both give the body length in bytes 1-3.
  uint32_t length = uint32_t{message[1]} << 16 | uint32_t{message[2]} << 8 | message[3];
  std::span<const uint8_t> bytes(message);
  return anonymous_kept(bytes.first(std::min(known, message.size())), length, dialect);
}

}  // namespace

namespace Catch {
template <>
struct StringMaker<MessageRange> {
  static std::string convert(const MessageRange& range) {
    return "[" + std::to_string(range.begin) + "," + std::to_string(range.end) + ")";
  }
};
}  // namespace Catch

TEST_CASE("anonymous ClientHello: host name, ticket and PSK identity zero, their framing kept") {
  CHECK(kept(test::client_hello()) == Ranges{{0, 90}, {101, 105}, {109, 124}, {129, 168}});
}

TEST_CASE("anonymous ClientHello: zero from the first byte not captured") {
  Bytes hello = test::client_hello();
  CHECK(kept(hello, kTls12Layout, 95) == Ranges{{0, 90}});
  // Cut inside supported_versions' length: a length not wholly captured is zero too.
  CHECK(kept(hello, kTls12Layout, 112) == Ranges{{0, 90}, {101, 105}, {109, 111}});
  CHECK(kept(hello, kTls12Layout, 114) == Ranges{{0, 90}, {101, 105}, {109, 114}});
  CHECK(kept(hello, kTls12Layout, 50) == Ranges{{0, 50}});  // inside the session id
  CHECK(kept(hello, kTls12Layout, 10) == Ranges{{0, 10}});  // inside the random
}

TEST_CASE("anonymous ClientHello: zero from a length that overruns its container") {
  Bytes hello = test::client_hello();
  hello[86] = 0x0f;  // server_name list one byte longer than its extension
  CHECK(kept(hello) == Ranges{{0, 85}});
  hello = test::client_hello();
  hello[80] = 0x58;  // extensions one byte longer than the message
  CHECK(kept(hello) == Ranges{{0, 79}});
  hello = test::client_hello();
  hello[121] = 0x0a;  // identities one byte short: its last ticket-age byte is left over
  CHECK(kept(hello) == Ranges{{0, 90}, {101, 105}, {109, 124}});
}

TEST_CASE("anonymous ClientHello: bytes left over after a list that should fill its container are zero") {
  Bytes hello = test::client_hello();
  hello[86] = 0x0d;  // server_name list one byte short of its extension
  // The list's one entry now overruns the list: cut at the entry's name length.
  CHECK(kept(hello) == Ranges{{0, 88}});
}

TEST_CASE("anonymous ClientHello without extensions is kept whole") {
  Bytes hello = concat({hex("01 000029 0303"), Bytes(32, 0x11), hex("00 0002 1301 01 00")});
  CHECK(kept(hello) == Ranges{{0, 45}});
}

TEST_CASE("anonymous DTLS ClientHello: the cookie comes after the session id") {
  // 12-byte header; version, random, empty session id, 2-byte cookie,
  // suites, compression, then one server_name extension with host "a".
  Bytes hello = concat({hex("01 000038 0000 000000 000038 fefd"), Bytes(32, 0x11),
                        hex("00 02 cccc 0002 c02b 01 00 000a 0000 0006 0004 00 0001 61")});
  REQUIRE(hello.size() == 12 + 0x38);
  CHECK(kept(hello, {.dtls = true}) == Ranges{{0, 67}});
}

TEST_CASE("anonymous Certificate keeps the list's length, not the certificates") {
  // TLS 1.2: certificate_list length (9), one certificate of 6 bytes.
  Bytes tls12 = concat({hex("0b 00000c 000009 000006"), Bytes(6, 0x30)});
  CHECK(kept(tls12) == Ranges{{0, 7}});
  // TLS 1.3: a 2-byte request context, then the list (one certificate and its empty extensions).
  Bytes tls13 = concat({hex("0b 000011 02 abcd 00000b 000006"), Bytes(6, 0x30), hex("0000")});
  CHECK(kept(tls13, kTls13Layout) == Ranges{{0, 10}});
  // Read as TLS 1.2, a TLS 1.3 Certificate keeps no certificate byte either.
  CHECK(kept(tls13) == Ranges{{0, 7}});
}

TEST_CASE("anonymous NewSessionTicket keeps lifetime and ticket length, not the ticket") {
  Bytes tls12 = concat({hex("04 00000e 00001c20 0008"), Bytes(8, 0x77)});
  CHECK(kept(tls12) == Ranges{{0, 10}});
  // TLS 1.3: lifetime, age_add, a 1-byte nonce, the ticket, empty extensions.
  Bytes tls13 = concat({hex("04 000012 00001c20 01020304 01 05 0004"), Bytes(4, 0x77), hex("0000")});
  CHECK(kept(tls13, kTls13Layout) == Ranges{{0, 16}});
}

TEST_CASE("anonymous keeps other messages whole") {
  Bytes finished = concat({hex("14 00000c"), Bytes(12, 0x55)});
  CHECK(kept(finished) == Ranges{{0, 16}});
}

TEST_CASE("server_hello_version reads supported_versions, else the legacy version") {
  Bytes tls13 = concat({hex("0303"), Bytes(32, 0x44), hex("00 1301 00 0006 002b 0002 0304")});
  CHECK(server_hello_version(tls13) == kTls13);
  Bytes tls12 = concat({hex("0303"), Bytes(32, 0x44), hex("00 c02f 00 0005 ff01 0001 00")});
  CHECK(server_hello_version(tls12) == 0x0303);
  Bytes bare = concat({hex("0301"), Bytes(32, 0x44), hex("00 002f 00")});
  CHECK(server_hello_version(bare) == 0x0301);
  CHECK(!server_hello_version(Bytes(20, 0x03)));
}

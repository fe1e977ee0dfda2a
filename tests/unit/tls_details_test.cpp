// What report/tls_details.h reads of TLS, DTLS and QUIC: hand-built hellos
// and certificates (a certificate made here with OpenSSL), fed in odd
// chunks, zeroed the way the policy zeroes them, cut and garbled; and the
// real captures of testdata/tls against what tshark and openssl show of them.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "common/capture_reader.h"
#include "common/decode/decoder.h"
#include "common/handshake_message.h"
#include "common/input_stream.h"
#include "packet_bytes.h"
#include "report/tls_details.h"

using namespace pktmask;
using namespace pktmask::report;
using test::Bytes;
using test::concat;
using test::hex;
using test::slice;
using Strings = std::vector<std::string>;

namespace {

// --- Builders of TLS structures (RFC 8446 section 4, RFC 5246 section 7.4).

Bytes u16(uint16_t value) { return {uint8_t(value >> 8), uint8_t(value)}; }
Bytes u24(size_t value) { return {uint8_t(value >> 16), uint8_t(value >> 8), uint8_t(value)}; }
Bytes text(const std::string& value) { return Bytes(value.begin(), value.end()); }
// A vector: its length in `width` bytes, then its content.
Bytes vec(size_t width, const Bytes& content) {
  const Bytes length = u24(content.size());
  return concat({slice(length, 3 - width, 3), content});
}
Bytes extension(uint16_t type, const Bytes& data) { return concat({u16(type), vec(2, data)}); }
Bytes sni(const std::vector<Bytes>& names) {
  Bytes list;
  for (const Bytes& name : names) list = concat({list, hex("00"), vec(2, name)});
  return extension(0, vec(2, list));
}
Bytes alpn(const Strings& protocols) {
  Bytes list;
  for (const std::string& protocol : protocols) list = concat({list, vec(1, text(protocol))});
  return extension(16, vec(2, list));
}
Bytes message(uint8_t type, const Bytes& body) { return concat({Bytes{type}, u24(body.size()), body}); }
Bytes record(uint8_t type, const Bytes& body) { return concat({Bytes{type}, hex("0303"), vec(2, body)}); }

// A ClientHello body: TLS 1.2 legacy version, two suites, the extensions.
Bytes client_hello_body(const Bytes& extensions) {
  return concat({hex("0303"), Bytes(32, 0x11), vec(1, Bytes(32, 0x22)), vec(2, hex("1301 c02f")), hex("0100"),
                 vec(2, extensions)});
}
Bytes server_hello_body(uint16_t legacy_version, uint16_t suite, const Bytes& extensions) {
  return concat(
      {u16(legacy_version), Bytes(32, 0x33), vec(1, Bytes(32, 0x22)), u16(suite), hex("00"), vec(2, extensions)});
}
Bytes certificate_body(const std::vector<Bytes>& certificates) {
  Bytes list;
  for (const Bytes& der : certificates) list = concat({list, vec(3, der)});
  return vec(3, list);
}

// A self-signed certificate made with OpenSSL: subject and issuer
// O=Example Org, CN=test.example (RFC 2253 lists the last RDN first).
const std::string kTestName = "CN=test.example,O=Example Org";
Bytes test_certificate() {
  const std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_EC_gen("P-256"), EVP_PKEY_free);
  const std::unique_ptr<X509, decltype(&X509_free)> certificate(X509_new(), X509_free);
  REQUIRE(key);
  REQUIRE(certificate);
  X509_set_version(certificate.get(), 2);
  ASN1_INTEGER_set(X509_get_serialNumber(certificate.get()), 1);
  X509_gmtime_adj(X509_getm_notBefore(certificate.get()), 0);
  X509_gmtime_adj(X509_getm_notAfter(certificate.get()), 86400);
  X509_NAME* name = X509_get_subject_name(certificate.get());
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("Example Org"), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("test.example"), -1, -1,
                             0);
  X509_set_issuer_name(certificate.get(), name);
  X509_set_pubkey(certificate.get(), key.get());
  REQUIRE(X509_sign(certificate.get(), key.get(), EVP_sha256()) > 0);
  const int length = i2d_X509(certificate.get(), nullptr);
  REQUIRE(length > 0);
  Bytes der(static_cast<size_t>(length));
  unsigned char* out = der.data();
  i2d_X509(certificate.get(), &out);
  return der;
}

// Feeds `stream` in chunks of `chunk` bytes.
void feed(TlsDirectionReader& reader, const Bytes& stream, size_t chunk, SecureSession& session) {
  for (size_t at = 0; at < stream.size(); at += chunk) {
    reader.feed(std::span(stream).subspan(at, std::min(chunk, stream.size() - at)), session);
  }
}
SecureSession read_stream(const Bytes& stream, bool from_client, size_t chunk = 1) {
  SecureSession session;
  TlsDirectionReader reader(from_client);
  feed(reader, stream, chunk, session);
  return session;
}

// The client's first flight: ClientHello with SNI "example.com", ALPN
// h2 and http/1.1, supported_versions GREASE, TLS 1.3, TLS 1.2.
Bytes client_flight() {
  const Bytes extensions =
      concat({sni({text("example.com")}), alpn({"h2", "http/1.1"}), extension(43, vec(1, hex("7a7a 0304 0303")))});
  return record(22, message(1, client_hello_body(extensions)));
}

// A TLS 1.2 server flight: ServerHello (ECDHE-RSA AES-128-GCM, ALPN h2),
// Certificate, ServerHelloDone, in one Handshake record, then ChangeCipherSpec.
Bytes tls12_server_flight(const Bytes& certificate) {
  return concat({record(22, concat({message(2, server_hello_body(0x0303, 0xc02f, alpn({"h2"}))),
                                    message(11, certificate_body({certificate})), message(14, {})})),
                 record(20, hex("01"))});
}

// --- The real captures: each TCP connection's two streams, in packet order.

std::string source_path(const std::string& relative) { return std::string(PKTMASK_SOURCE_DIR) + "/" + relative; }

std::vector<SecureSession> read_capture(const std::string& relative) {
  struct Direction {
    std::optional<uint32_t> next_seq;
    std::unique_ptr<TlsDirectionReader> reader;
  };
  struct Flow {
    size_t session = 0;
    Direction directions[2];  // by from_client
  };
  std::vector<SecureSession> sessions;
  std::map<std::pair<uint16_t, uint16_t>, Flow> flows;  // by (client port, server port)
  InputStream in(source_path(relative));
  CaptureReader reader(in);
  CaptureRecord capture_record;
  while (reader.next(capture_record)) {
    if (!capture_record.has_packet()) continue;
    const Packet& packet = capture_record.packet;
    const DecodedPacket decoded = decode_packet(packet.link_type, packet.data);
    if (decoded.outcome != DecodeOutcome::tcp) continue;
    const TcpSegment& tcp = decoded.tcp;
    constexpr uint8_t kSyn = 0x02;
    constexpr uint8_t kAck = 0x10;
    const bool opening = (tcp.flags & (kSyn | kAck)) == kSyn;
    const bool from_client = opening || flows.contains({tcp.key.sport, tcp.key.dport});
    const auto ports = from_client ? std::pair(tcp.key.sport, tcp.key.dport) : std::pair(tcp.key.dport, tcp.key.sport);
    if (opening) {
      flows[ports].session = sessions.size();
      sessions.emplace_back();
    }
    const auto flow = flows.find(ports);
    if (flow == flows.end()) continue;
    Direction& direction = flow->second.directions[from_client];
    if (tcp.flags & kSyn) {
      direction.next_seq = tcp.seq + 1;
      direction.reader = std::make_unique<TlsDirectionReader>(from_client);
      continue;
    }
    // Clean captures (testdata/tls/README.md), but skip a repeated segment all the same.
    if (!direction.reader || tcp.payload_captured == 0 || tcp.seq != direction.next_seq) continue;
    direction.next_seq = tcp.seq + tcp.payload_captured;
    direction.reader->feed(packet.data.subspan(tcp.payload_offset, tcp.payload_captured),
                           sessions[flow->second.session]);
  }
  return sessions;
}

}  // namespace

TEST_CASE("cipher suites and versions have their IANA names") {
  CHECK(cipher_suite_name(0x1301) == "TLS_AES_128_GCM_SHA256");
  CHECK(cipher_suite_name(0x1303) == "TLS_CHACHA20_POLY1305_SHA256");
  CHECK(cipher_suite_name(0xc02f) == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  CHECK(cipher_suite_name(0xcca9) == "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256");
  CHECK(cipher_suite_name(0x002f) == "TLS_RSA_WITH_AES_128_CBC_SHA");
  CHECK(cipher_suite_name(0xc028) == "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384");
  CHECK(cipher_suite_name(0x00ff) == "TLS_EMPTY_RENEGOTIATION_INFO_SCSV");
  CHECK(cipher_suite_name(0x0a0a) == "GREASE 0x0a0a");
  CHECK(cipher_suite_name(0xfafa) == "GREASE 0xfafa");
  CHECK(cipher_suite_name(0x0a1a) == "0x0a1a");
  CHECK(cipher_suite_name(0x0000) == "0x0000");
  CHECK(version_name(0x0300) == "SSL 3.0");
  CHECK(version_name(0x0301) == "TLS 1.0");
  CHECK(version_name(0x0303) == "TLS 1.2");
  CHECK(version_name(0x0304) == "TLS 1.3");
  CHECK(version_name(0xfeff) == "DTLS 1.0");
  CHECK(version_name(0xfefd) == "DTLS 1.2");
  CHECK(version_name(0xfefc) == "DTLS 1.3");
  CHECK(version_name(0x7f1c) == "0x7f1c");
}

TEST_CASE("a ClientHello read a byte at a time shows the offered version, SNI and ALPN") {
  const SecureSession session = read_stream(client_flight(), true);
  CHECK(session.protocol == "TLS");
  CHECK(session.version == "TLS 1.3");  // the newest of supported_versions, GREASE aside
  CHECK(session.server_names == Strings{"example.com"});
  CHECK(session.alpn == Strings{"h2", "http/1.1"});
  CHECK(session.cipher_suite.empty());
  CHECK(session.certificate_subjects.empty());
}

TEST_CASE("a ClientHello from the server's side is not read as the client's") {
  const SecureSession session = read_stream(client_flight(), false);
  CHECK(session.server_names.empty());
  CHECK(session.version.empty());
}

TEST_CASE("a TLS 1.2 server flight shows version, suite, ALPN and the certificate's names") {
  const Bytes flight = tls12_server_flight(test_certificate());
  for (const size_t chunk : {size_t{1}, size_t{3}, size_t{7}, size_t{100}, flight.size()}) {
    SecureSession session;
    session.version = "TLS 1.3";  // the client's offer; the ServerHello overrides it
    TlsDirectionReader reader(false);
    feed(reader, flight, chunk, session);
    CHECK(reader.done());  // at the ChangeCipherSpec
    CHECK(session.protocol == "TLS");
    CHECK(session.version == "TLS 1.2");
    CHECK(session.cipher_suite == "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
    CHECK(session.alpn == Strings{"h2"});
    CHECK(session.certificate_subjects == Strings{kTestName});
    CHECK(session.certificate_issuers == Strings{kTestName});
  }
}

TEST_CASE("a handshake message may span records, and records may hold several messages") {
  const Bytes messages =
      concat({message(2, server_hello_body(0x0303, 0x009c, {})), message(11, certificate_body({test_certificate()}))});
  const size_t cut = 50;
  const Bytes stream = concat({record(22, slice(messages, 0, cut)), record(22, slice(messages, cut, messages.size()))});
  const SecureSession session = read_stream(stream, false, 5);
  CHECK(session.cipher_suite == "TLS_RSA_WITH_AES_128_GCM_SHA256");
  CHECK(session.certificate_subjects == Strings{kTestName});
}

TEST_CASE("an offered version does not replace the one a ServerHello selected") {
  SecureSession session;
  TlsDirectionReader server(false);
  const Bytes server_hello = record(22, message(2, server_hello_body(0x0303, 0xc02f, {})));
  server.feed(server_hello, session);
  TlsDirectionReader client(true);
  client.feed(client_flight(), session);
  CHECK(session.version == "TLS 1.2");
  CHECK(session.server_names == Strings{"example.com"});
}

TEST_CASE("a TLS 1.3 ServerHello ends the server's reading: the certificate after it is encrypted") {
  const Bytes hello = message(2, server_hello_body(0x0303, 0x1302, extension(43, hex("0304"))));
  // A certificate after it in the clear would be malformed; it is not read.
  const Bytes stream = concat({record(22, hello), record(20, hex("01")), record(23, Bytes(40, 0x5a)),
                               record(22, message(11, certificate_body({test_certificate()})))});
  SecureSession session;
  TlsDirectionReader reader(false);
  reader.feed(slice(stream, 0, 10), session);
  CHECK_FALSE(reader.done());
  reader.feed(slice(stream, 10, stream.size()), session);
  CHECK(reader.done());
  CHECK(session.version == "TLS 1.3");
  CHECK(session.cipher_suite == "TLS_AES_256_GCM_SHA384");
  CHECK(session.certificate_subjects.empty());
}

TEST_CASE("the names the anonymous policy zeroes show as (zeroed)") {
  // The policy's own rule (common/handshake_message.h) zeroes the SNI name.
  const Bytes hello = test::client_hello();
  std::vector<ByteRange> kept;
  const Bytes body = slice(hello, 4, hello.size());
  handshake_body_kept({.type = 1, .bytes = body, .declared_length = body.size(), .base = 4}, HandshakeDetail::anonymous,
                      kept);
  Bytes zeroed(hello.size(), 0);
  std::copy(hello.begin(), hello.begin() + 4, zeroed.begin());
  for (const ByteRange& range : kept) {
    std::copy(hello.begin() + long(range.begin), hello.begin() + long(range.end), zeroed.begin() + long(range.begin));
  }
  REQUIRE(zeroed != hello);
  const SecureSession session = read_stream(record(22, zeroed), true);
  CHECK(session.server_names == Strings{"(zeroed)"});
  CHECK(session.version == "TLS 1.3");

  // A Certificate keeps its 3-byte chain length only.
  const Bytes certificate = certificate_body({test_certificate()});
  Bytes certificate_zeroed(certificate.size(), 0);
  std::copy(certificate.begin(), certificate.begin() + 3, certificate_zeroed.begin());
  const SecureSession server = read_stream(record(22, message(11, certificate_zeroed)), false, 64);
  CHECK(server.certificate_subjects == Strings{"(zeroed)"});
  CHECK(server.certificate_issuers == Strings{"(zeroed)"});
}

TEST_CASE("handshake=headers leaves only message headers: the hellos show the protocol alone") {
  const Bytes client = record(22, message(1, Bytes(120, 0)));
  const Bytes server = record(22, concat({message(2, Bytes(70, 0)), message(11, Bytes(900, 0))}));
  SecureSession session;
  TlsDirectionReader(true).feed(client, session);
  TlsDirectionReader(false).feed(server, session);
  CHECK(session.protocol == "TLS");
  CHECK(session.version.empty());
  CHECK(session.cipher_suite.empty());
  CHECK(session.server_names.empty());
  CHECK(session.certificate_subjects == Strings{"(zeroed)"});
}

TEST_CASE("names with unprintable bytes are shown escaped") {
  const Bytes extensions = concat({sni({hex("3c 62 3e 0a ff 41"), text("example.com")}), alpn({"h2", "h2"})});
  const SecureSession session = read_stream(record(22, message(1, client_hello_body(extensions))), true, 4);
  CHECK(session.server_names == Strings{"<b>\\x0a\\xffA", "example.com"});
  CHECK(session.alpn == Strings{"h2"});  // listed once
}

TEST_CASE("garbage, cut and malformed streams end the reading without harm") {
  SECTION("not TLS") {
    TlsDirectionReader reader(true);
    SecureSession session;
    reader.feed(text("GET / HTTP/1.1\r\n"), session);
    CHECK(reader.done());
    CHECK(session.protocol.empty());
  }
  SECTION("a zeroed stream") {
    TlsDirectionReader reader(true);
    SecureSession session;
    reader.feed(Bytes(64, 0), session);
    CHECK(reader.done());
  }
  SECTION("a record longer than TLS allows") {
    TlsDirectionReader reader(true);
    SecureSession session;
    reader.feed(hex("16 0303 ffff"), session);
    CHECK(reader.done());
  }
  SECTION("every cut of a flight reads without harm, and nothing that is not there") {
    const Bytes flight = concat({client_flight(), tls12_server_flight(test_certificate())});
    for (size_t cut = 0; cut < flight.size(); cut += 7) {
      SecureSession session;
      TlsDirectionReader reader(true);
      reader.feed(slice(flight, 0, cut), session);
      if (cut < client_flight().size()) CHECK(session.server_names.empty());
    }
  }
  SECTION("any byte of a flight changed, names stay printable") {
    const auto printable = [](const Strings& names) {
      return std::all_of(names.begin(), names.end(), [](const std::string& name) {
        return std::all_of(name.begin(), name.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
      });
    };
    const Bytes client = record(22, message(1, client_hello_body(concat({sni({text("example.com")}), alpn({"h2"})}))));
    const Bytes server = tls12_server_flight(test_certificate());
    for (const bool from_client : {true, false}) {
      const Bytes& flight = from_client ? client : server;
      for (size_t at = 0; at < flight.size(); ++at) {
        for (const uint8_t value : {uint8_t{0x00}, uint8_t{0xff}}) {
          Bytes broken = flight;
          broken[at] = value;
          const SecureSession session = read_stream(broken, from_client, 13);
          CHECK(printable(session.server_names));
          CHECK(printable(session.alpn));
          CHECK(printable(session.certificate_subjects));
          CHECK(session.certificate_subjects.size() == session.certificate_issuers.size());
        }
      }
    }
  }
  SECTION("a handshake message longer than the reader reads") {
    TlsDirectionReader reader(false);
    SecureSession session;
    reader.feed(record(22, hex("0b ffffff 00")), session);
    CHECK(reader.done());
  }
  SECTION("a stream past kMaxHandshakeBytes") {
    TlsDirectionReader reader(false);
    SecureSession session;
    const Bytes filler_record = record(22, message(15, Bytes(16000, 0x42)));
    for (int i = 0; i < 5; ++i) reader.feed(filler_record, session);
    CHECK(reader.done());
  }
}

TEST_CASE("a DTLS 1.2 ClientHello with a cookie, and its ServerHello") {
  // Record header: type, version, epoch(2), sequence(6), length; message
  // header: type, length(3), message_seq(2), fragment_offset(3), fragment_length(3).
  const auto dtls_record = [](uint8_t type, const Bytes& body) {
    return concat({Bytes{type}, hex("feff 0000 000000000000"), vec(2, body)});
  };
  const auto dtls_message = [](uint8_t type, const Bytes& body) {
    return concat({Bytes{type}, u24(body.size()), hex("0000 000000"), u24(body.size()), body});
  };
  const Bytes client_body =
      concat({hex("fefd"), Bytes(32, 0x11), vec(1, {}), vec(1, Bytes(20, 0xcc)), vec(2, hex("c02b")), hex("0100"),
              vec(2, concat({sni({text("dtls.example")}), extension(43, vec(1, hex("fefc fefd")))}))});
  std::array<uint64_t, 5> counts{};
  SecureSession session;
  const Bytes client = dtls_record(22, dtls_message(1, client_body));
  CHECK(read_datagram(client, true, session, &counts));
  CHECK(session.protocol == "DTLS");
  CHECK(session.version == "DTLS 1.3");  // 0xfefc is newer than 0xfefd
  CHECK(session.server_names == Strings{"dtls.example"});
  CHECK(counts == std::array<uint64_t, 5>{0, 0, 1, 0, 0});

  const Bytes server = concat({dtls_record(22, dtls_message(2, server_hello_body(0xfefd, 0xc02b, {}))),
                               dtls_record(20, hex("01")), dtls_record(23, Bytes(30, 0x77))});
  CHECK(read_datagram(server, false, session, &counts));
  CHECK(session.version == "DTLS 1.2");
  CHECK(session.cipher_suite == "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256");
  CHECK(counts == std::array<uint64_t, 5>{1, 0, 2, 1, 0});

  // A fragment (fragment_length short of length) is not read.
  SecureSession fragmented;
  Bytes fragment = dtls_message(1, client_body);
  fragment[11] = 0x10;
  fragment = slice(fragment, 0, 12 + 0x10);
  CHECK(read_datagram(dtls_record(22, fragment), true, fragmented));
  CHECK(fragmented.protocol == "DTLS");
  CHECK(fragmented.server_names.empty());
}

TEST_CASE("a QUIC long header shows its version; a short header alone is not recognised") {
  // Initial: first byte 0xc3 (long, fixed, type Initial), version 1, DCID 8 bytes, SCID 0 bytes, then the rest.
  const Bytes initial = concat({hex("c3 00000001 08 0102030405060708 00"), Bytes(1200, 0)});
  SecureSession session;
  CHECK(read_datagram(initial, true, session));
  CHECK(session.protocol == "QUIC");
  CHECK(session.version == "QUIC v1");

  SecureSession v2;
  CHECK(read_datagram(concat({hex("d3 6b3343cf 00 00"), Bytes(40, 0)}), false, v2));
  CHECK(v2.version == "QUIC v2");
  SecureSession draft;
  CHECK(read_datagram(concat({hex("c3 ff00001d 00 00"), Bytes(40, 0)}), false, draft));
  CHECK(draft.version == "QUIC 0xff00001d");

  SecureSession negotiation;  // version 0: the versions the server supports follow
  CHECK(read_datagram(hex("80 00000000 00 04 01020304 00000001 6b3343cf"), false, negotiation));
  CHECK(negotiation.protocol == "QUIC");
  CHECK(negotiation.version.empty());

  SecureSession none;
  CHECK_FALSE(read_datagram(hex("43 0102030405060708 aabbccdd"), true, none));  // short header
  CHECK_FALSE(read_datagram(hex("c3 00000001 15"), true, none));                // DCID longer than 20 bytes
  CHECK_FALSE(read_datagram(hex("c3 0000"), true, none));                       // cut
  CHECK_FALSE(read_datagram({}, true, none));
  CHECK(none.protocol.empty());
}

// Expected values: `tshark -r FILE -Y tls.handshake -T fields -e tcp.stream
// -e tls.handshake.type -e tls.handshake.extensions_server_name
// -e tls.handshake.extensions_alpn_str -e tls.handshake.ciphersuite
// -e tls.handshake.extensions.supported_version`, and the certificates
// (-e tls.handshake.certificate) through `openssl x509 -inform der -noout
// -subject -issuer -nameopt RFC2253`.
TEST_CASE("the real captures show their SNI, versions, suites and certificates") {
  const std::string leaf = "CN=server.test,O=pktmask test";
  const std::string root = "CN=pktmask test root,O=pktmask test";

  const auto tls12 = read_capture("testdata/tls/tls12_openssl.pcap");
  REQUIRE(tls12.size() == 1);
  CHECK(tls12[0].protocol == "TLS");
  CHECK(tls12[0].version == "TLS 1.2");
  CHECK(tls12[0].cipher_suite == "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384");  // 0xc030
  CHECK(tls12[0].server_names == Strings{"server.test"});
  CHECK(tls12[0].alpn.empty());
  CHECK(tls12[0].certificate_subjects == Strings{leaf});
  CHECK(tls12[0].certificate_issuers == Strings{root});

  const auto curl12 = read_capture("testdata/tls/nginx_curl_tls12_ipv4.pcap");
  REQUIRE(curl12.size() == 1);
  CHECK(curl12[0].alpn == Strings{"http/1.1"});
  CHECK(curl12[0].certificate_subjects == Strings{leaf});

  const auto curl13 = read_capture("testdata/tls/nginx_curl_tls13_ipv6.pcap");
  REQUIRE(curl13.size() == 1);
  CHECK(curl13[0].version == "TLS 1.3");
  CHECK(curl13[0].cipher_suite == "TLS_AES_256_GCM_SHA384");  // 0x1302
  CHECK(curl13[0].server_names == Strings{"server.test"});
  CHECK(curl13[0].alpn == Strings{"h2", "http/1.1"});
  CHECK(curl13[0].certificate_subjects.empty());  // encrypted in TLS 1.3

  const auto chain = read_capture("testdata/tls/nginx_large_chain.pcap");
  REQUIRE(chain.size() == 2);
  const auto name = [](const std::string& cn) { return "CN=pktmask test " + cn + ",O=pktmask test"; };
  CHECK(chain[0].version == "TLS 1.2");
  CHECK(chain[0].certificate_subjects == Strings{leaf, name("intermediate 3"), name("intermediate 2"),
                                                 name("intermediate 1"), name("large-chain root")});
  CHECK(chain[0].certificate_issuers == Strings{name("intermediate 3"), name("intermediate 2"), name("intermediate 1"),
                                                name("large-chain root"), name("large-chain root")});
  CHECK(chain[1].version == "TLS 1.3");
  CHECK(chain[1].certificate_subjects.empty());
}

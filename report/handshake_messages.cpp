#include "report/handshake_messages.h"

#include <algorithm>
#include <string>
#include <vector>

#include "report/field_reader.h"
#include "report/shown_text.h"
#include "report/tls_names.h"
#include "report/x509_names.h"

namespace pktmask::report {

namespace {

constexpr uint8_t kClientHello = 1;
constexpr uint8_t kServerHello = 2;
constexpr uint8_t kCertificate = 11;
constexpr uint16_t kServerNameExtension = 0;
constexpr uint16_t kAlpnExtension = 16;
constexpr uint16_t kSupportedVersionsExtension = 43;
constexpr uint8_t kHostNameType = 0;
constexpr size_t kRandomBytes = 32;
// Names kept per list of a session: a crafted hello cannot grow it further.
constexpr size_t kMaxNamesPerList = 64;

const char* protocol_name(HandshakeFraming framing) { return framing == HandshakeFraming::dtls ? "DTLS" : "TLS"; }

bool known_version(uint16_t version, HandshakeFraming framing) {
  if (framing == HandshakeFraming::tls) return version >= 0x0300 && version <= 0x0304;
  return version == 0xfeff || version == 0xfefd || version == 0xfefc;
}

// DTLS counts its versions down (DTLS 1.0 = 0xfeff, 1.2 = 0xfefd, 1.3 = 0xfefc).
bool newer(uint16_t version, uint16_t than, HandshakeFraming framing) {
  return framing == HandshakeFraming::tls ? version > than : version < than;
}

void add_name(std::vector<std::string>& names, ByteReader bytes) {
  if (bytes.size() == 0 || names.size() >= kMaxNamesPerList) return;
  std::string name = shown_text(bytes.bytes());
  if (std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
}

// server_name_list: {name_type, host_name<2>}... (RFC 6066 section 3).
void read_server_names(ByteReader data, SecureSession& session) {
  FieldReader list(FieldReader(data).vector(2));
  while (!list.at_end()) {
    const uint8_t type = list.u8();
    const ByteReader name = list.vector(2);
    if (list.ok() && type == kHostNameType) add_name(session.server_names, name);
  }
}

// protocol_name_list: {name<1>}... (RFC 7301 section 3.1).
void read_alpn(ByteReader data, SecureSession& session) {
  FieldReader list(FieldReader(data).vector(2));
  while (!list.at_end()) {
    const ByteReader protocol = list.vector(1);
    if (list.ok()) add_name(session.alpn, protocol);
  }
}

// The newest known version a ClientHello's supported_versions offers (GREASE aside).
std::optional<uint16_t> newest_offered(ByteReader data, HandshakeFraming framing) {
  FieldReader list(FieldReader(data).vector(1));
  std::optional<uint16_t> newest;
  while (!list.at_end()) {
    const uint16_t version = list.be16();
    if (list.ok() && known_version(version, framing) && (!newest || newer(version, *newest, framing))) {
      newest = version;
    }
  }
  return newest;
}

// Calls `on_extension(type, data)` for each extension of a hello's
// extensions block, if the body has one after `in`'s position.
template <typename OnExtension>
void for_each_extension(FieldReader& in, OnExtension on_extension) {
  if (in.at_end()) return;
  FieldReader extensions(in.vector(2));
  while (!extensions.at_end()) {
    const uint16_t type = extensions.be16();
    const ByteReader data = extensions.vector(2);
    if (extensions.ok()) on_extension(type, data);
  }
}

void add_certificate_names(std::vector<std::string>& subjects, std::vector<std::string>& issuers, std::string subject,
                           std::string issuer) {
  if (subjects.size() >= kMaxNamesPerList) return;
  subjects.push_back(std::move(subject));
  issuers.push_back(std::move(issuer));
}

void read_client_hello(ByteReader body, HandshakeFraming framing, SecureSession& session) {
  session.protocol = protocol_name(framing);
  if (all_zero(body.bytes())) return;
  FieldReader in(body);
  const uint16_t legacy_version = in.be16();
  in.skip(kRandomBytes);
  in.vector(1);                                         // session_id
  if (framing == HandshakeFraming::dtls) in.vector(1);  // cookie
  in.vector(2);                                         // cipher_suites
  in.vector(1);                                         // compression_methods
  if (!in.ok()) return;
  std::optional<uint16_t> offered;
  if (known_version(legacy_version, framing)) offered = legacy_version;
  for_each_extension(in, [&](uint16_t type, ByteReader data) {
    switch (type) {
      case kServerNameExtension:
        return read_server_names(data, session);
      case kAlpnExtension:
        return read_alpn(data, session);
      case kSupportedVersionsExtension:
        if (const auto newest = newest_offered(data, framing)) offered = newest;
        return;
      default:
        return;
    }
  });
  if (offered && session.version.empty()) session.version = version_name(*offered);
}

std::optional<uint16_t> read_server_hello(ByteReader body, HandshakeFraming framing, SecureSession& session) {
  session.protocol = protocol_name(framing);
  if (all_zero(body.bytes())) return std::nullopt;
  FieldReader in(body);
  const uint16_t legacy_version = in.be16();
  in.skip(kRandomBytes);
  in.vector(1);  // session_id
  const uint16_t suite = in.be16();
  in.u8();  // compression_method
  if (!in.ok()) return std::nullopt;
  session.cipher_suite = cipher_suite_name(suite);
  std::optional<uint16_t> selected;
  if (known_version(legacy_version, framing)) selected = legacy_version;
  for_each_extension(in, [&](uint16_t type, ByteReader data) {
    if (type == kAlpnExtension) return read_alpn(data, session);
    if (type != kSupportedVersionsExtension) return;
    const uint16_t version = data.be16(0);
    if (data.ok() && known_version(version, framing)) selected = version;
  });
  if (selected) session.version = version_name(*selected);
  return selected;
}

void read_certificate(ByteReader body, SecureSession& session) {
  const std::string zeroed(kZeroedName);
  // The policy keeps at most the chain's 3-byte length; a zeroed chain's
  // certificate lengths are zero too and cannot be walked.
  const std::span<const uint8_t> bytes = body.bytes();
  if (bytes.size() > 3 && all_zero(bytes.subspan(3))) {
    return add_certificate_names(session.certificate_subjects, session.certificate_issuers, zeroed, zeroed);
  }
  FieldReader chain(FieldReader(body).vector(3));
  while (!chain.at_end()) {
    const ByteReader der = chain.vector(3);
    if (!chain.ok() || der.size() == 0) continue;
    if (all_zero(der.bytes())) {
      add_certificate_names(session.certificate_subjects, session.certificate_issuers, zeroed, zeroed);
    } else if (auto names = certificate_names(der.bytes())) {
      add_certificate_names(session.certificate_subjects, session.certificate_issuers, std::move(names->subject),
                            std::move(names->issuer));
    }
  }
}

}  // namespace

std::optional<uint16_t> read_handshake_message(uint8_t type, ByteReader body, HandshakeFraming framing,
                                               bool from_client, SecureSession& session) {
  switch (type) {
    case kClientHello:
      if (from_client) read_client_hello(body, framing, session);
      return std::nullopt;
    case kServerHello:
      return from_client ? std::nullopt : read_server_hello(body, framing, session);
    case kCertificate:
      read_certificate(body, session);
      return std::nullopt;
    default:
      return std::nullopt;
  }
}

}  // namespace pktmask::report

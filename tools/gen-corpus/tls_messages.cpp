#include "tls_messages.h"

#include <string>

#include "byte_writer.h"

namespace gen_corpus {

namespace {

// Handshake message: type, 24-bit length, body (RFC 8446 section 4).
std::vector<uint8_t> handshake_message(uint8_t type, const std::vector<uint8_t>& body) {
  byte_writer w;
  w.u8(type);
  w.u8(static_cast<uint8_t>(body.size() >> 16));
  w.u16(static_cast<uint16_t>(body.size()));
  w.bytes(body);
  return w.take();
}

void extension(byte_writer& w, uint16_t type, const std::vector<uint8_t>& data) {
  w.u16(type);
  w.u16(static_cast<uint16_t>(data.size()));
  w.bytes(data);
}

std::vector<uint8_t> server_name_extension(std::string_view name) {
  byte_writer w;
  w.u16(static_cast<uint16_t>(name.size() + 3));
  w.u8(0);  // host_name
  w.u16(static_cast<uint16_t>(name.size()));
  w.text(name);
  return w.take();
}

std::vector<uint8_t> key_share_entry(rng& r) {
  byte_writer w;
  w.u16(0x001d);  // x25519
  w.u16(32);
  w.bytes(r.nonzero_bytes(32));
  return w.take();
}

}  // namespace

std::vector<uint8_t> client_hello(rng& r, std::string_view server_name, bool tls13) {
  byte_writer ext;
  extension(ext, 0x0000, server_name_extension(server_name));
  extension(ext, 0x000a, {0x00, 0x04, 0x00, 0x1d, 0x00, 0x17});  // supported_groups
  extension(ext, 0x000d, {0x00, 0x04, 0x04, 0x03, 0x08, 0x04});  // signature_algorithms
  if (tls13) {
    extension(ext, 0x002b, {0x02, 0x03, 0x04});  // supported_versions: TLS 1.3
    byte_writer share;
    const auto entry = key_share_entry(r);
    share.u16(static_cast<uint16_t>(entry.size()));
    share.bytes(entry);
    extension(ext, 0x0033, share.data());
  }

  byte_writer w;
  w.u16(0x0303);
  w.bytes(r.nonzero_bytes(32));  // random
  w.u8(32);
  w.bytes(r.nonzero_bytes(32));  // legacy_session_id
  const uint16_t suites[] = {0x1301, 0x1302, 0xc02b, 0xc02f, 0xc030, 0x009e};
  w.u16(sizeof(suites));
  for (const uint16_t suite : suites) {
    w.u16(suite);
  }
  w.u8(1);
  w.u8(0);  // compression: null
  w.u16(static_cast<uint16_t>(ext.size()));
  w.bytes(ext.data());
  return handshake_message(1, w.data());
}

std::vector<uint8_t> server_hello(rng& r, bool tls13) {
  byte_writer ext;
  if (tls13) {
    extension(ext, 0x002b, {0x03, 0x04});
    extension(ext, 0x0033, key_share_entry(r));
  } else {
    extension(ext, 0xff01, {0x00});  // renegotiation_info
  }

  byte_writer w;
  w.u16(0x0303);
  w.bytes(r.nonzero_bytes(32));
  w.u8(32);
  w.bytes(r.nonzero_bytes(32));
  w.u16(tls13 ? 0x1301 : 0xc02f);
  w.u8(0);
  w.u16(static_cast<uint16_t>(ext.size()));
  w.bytes(ext.data());
  return handshake_message(2, w.data());
}

std::vector<uint8_t> certificate(rng& r, size_t certificate_size) {
  // One certificate of recognisable, DER-looking opaque bytes.
  byte_writer cert;
  cert.u8(0x30);
  cert.u8(0x82);
  cert.u16(static_cast<uint16_t>(certificate_size - 4));
  cert.bytes(r.nonzero_bytes(certificate_size - 4));

  byte_writer w;
  const size_t list_size = 3 + cert.size();
  w.u8(static_cast<uint8_t>(list_size >> 16));
  w.u16(static_cast<uint16_t>(list_size));
  w.u8(static_cast<uint8_t>(cert.size() >> 16));
  w.u16(static_cast<uint16_t>(cert.size()));
  w.bytes(cert.data());
  return handshake_message(11, w.data());
}

std::vector<uint8_t> server_hello_done() { return handshake_message(14, {}); }

std::vector<uint8_t> client_key_exchange(rng& r) {
  byte_writer w;
  w.u8(32);
  w.bytes(r.nonzero_bytes(32));  // ECDH public key
  return handshake_message(16, w.data());
}

std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts) {
  std::vector<uint8_t> out;
  for (const auto& part : parts) {
    out.insert(out.end(), part.begin(), part.end());
  }
  return out;
}

std::vector<uint8_t> change_cipher_spec() { return {0x01}; }

std::vector<uint8_t> plain_alert(uint8_t level, uint8_t description) { return {level, description}; }

std::vector<uint8_t> opaque(rng& r, size_t size) { return r.nonzero_bytes(size); }

std::vector<uint8_t> heartbeat_message(rng& r, uint8_t type, size_t payload_size) {
  // RFC 6520: type, payload_length, payload, at least 16 bytes padding.
  byte_writer w;
  w.u8(type);
  w.u16(static_cast<uint16_t>(payload_size));
  w.bytes(r.nonzero_bytes(payload_size));
  w.bytes(r.nonzero_bytes(16));
  return w.take();
}

std::vector<uint8_t> http_request(std::string_view host, std::string_view path) {
  byte_writer w;
  w.text("GET ");
  w.text(path);
  w.text(" HTTP/1.1\r\nHost: ");
  w.text(host);
  w.text("\r\nUser-Agent: gen-corpus/1\r\nAccept: */*\r\n\r\n");
  return w.take();
}

std::vector<uint8_t> plain_text(std::string_view text) { return {text.begin(), text.end()}; }

std::vector<uint8_t> http_response(rng& r, size_t body_size) {
  byte_writer w;
  w.text("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ");
  w.text(std::to_string(body_size));
  w.text("\r\n\r\n");
  for (size_t i = 0; i < body_size; ++i) {
    w.u8(static_cast<uint8_t>('a' + r.below(26)));
  }
  return w.take();
}

}  // namespace gen_corpus

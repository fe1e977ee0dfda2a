#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "rng.h"

namespace gen_corpus {

// Bodies of TLS records. Handshake messages are well-formed enough for
// tshark to dissect; "opaque" bodies stand for encrypted data and never
// contain a zero byte, so a kept byte is easy to tell from a masked one.

std::vector<uint8_t> client_hello(rng& r, std::string_view server_name, bool tls13);
std::vector<uint8_t> server_hello(rng& r, bool tls13);
std::vector<uint8_t> certificate(rng& r, size_t certificate_size);
std::vector<uint8_t> server_hello_done();
std::vector<uint8_t> client_key_exchange(rng& r);
// Several handshake messages in one record body, as servers often send.
std::vector<uint8_t> concat(std::initializer_list<std::vector<uint8_t>> parts);

std::vector<uint8_t> change_cipher_spec();
std::vector<uint8_t> plain_alert(uint8_t level, uint8_t description);
// Encrypted handshake messages, application data, encrypted alerts.
std::vector<uint8_t> opaque(rng& r, size_t size);
std::vector<uint8_t> heartbeat_message(rng& r, uint8_t type, size_t payload_size);

std::vector<uint8_t> http_request(std::string_view host, std::string_view path);
// Lines of a plaintext protocol (SMTP, an HTTP CONNECT), as they are.
std::vector<uint8_t> plain_text(std::string_view text);
std::vector<uint8_t> http_response(rng& r, size_t body_size);

}  // namespace gen_corpus

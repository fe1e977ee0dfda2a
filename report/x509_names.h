#pragma once
// The subject and issuer names of one DER certificate (X.509), in RFC 2253
// text, parsed by OpenSSL's libcrypto.

#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace pktmask::report {

struct CertificateNames {
  std::string subject;
  std::string issuer;
};

// Nothing if the bytes are not one whole certificate.
std::optional<CertificateNames> certificate_names(std::span<const uint8_t> der);

}  // namespace pktmask::report

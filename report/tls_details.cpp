#include "report/tls_details.h"

#include <fmt/format.h>

namespace pktmask::report {

void TlsDirectionReader::feed(std::span<const uint8_t>, SecureSession&) { done_ = true; }

bool read_datagram(std::span<const uint8_t>, bool, SecureSession&) { return false; }

std::string cipher_suite_name(uint16_t suite) { return fmt::format("0x{:04x}", suite); }

std::string version_name(uint16_t version) { return fmt::format("0x{:04x}", version); }

}  // namespace pktmask::report

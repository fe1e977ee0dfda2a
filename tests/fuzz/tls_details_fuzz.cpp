// libFuzzer target: the TLS details readers never read outside what they are
// given and never throw, whatever the bytes and however the stream is cut.
// The first byte picks the chunk size and the direction; the rest is a TCP
// stream for TlsDirectionReader and one datagram for read_datagram.
#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>

#include "report/tls_details.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pktmask::report;
  if (size < 1) return 0;
  const size_t chunk = static_cast<size_t>(data[0] & 0x7f) + 1;
  const bool from_client = (data[0] & 0x80) != 0;
  const std::span<const uint8_t> bytes(data + 1, size - 1);
  SecureSession session;
  TlsDirectionReader reader(from_client);
  for (size_t at = 0; at < bytes.size() && !reader.done(); at += chunk) {
    reader.feed(bytes.subspan(at, std::min(chunk, bytes.size() - at)), session);
  }
  std::array<uint64_t, 5> counts{};
  read_datagram(bytes, from_client, session, &counts);
  return 0;
}

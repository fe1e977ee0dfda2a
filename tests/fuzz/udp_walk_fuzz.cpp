// libFuzzer target: the UDP walkers never read outside the datagram, and the
// ranges they keep are in order, non-overlapping and inside it, whatever the
// bytes and the handshake option. One walker lives across inputs (with a
// small table), so QUIC short headers meet connections and evictions.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "masker/udp_walk.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace pktmask;
  if (size < 2) return 0;
  static const PolicySettings settings[] = {
      PolicySettings{}, {.handshake = HandshakeDetail::anonymous}, {.handshake = HandshakeDetail::headers}};
  static UdpWalker walkers[] = {UdpWalker(settings[0], 4), UdpWalker(settings[1], 4), UdpWalker(settings[2], 4)};
  FlowKey key;
  key.family = 4;
  key.src[3] = data[0] & 0x03;  // four hosts, two ports each: 4-tuples repeat across inputs
  key.dst[3] = (data[0] >> 2) & 0x03;
  key.sport = 443 + ((data[0] >> 4) & 1);
  key.dport = 443 + ((data[0] >> 5) & 1);
  std::vector<ByteRange> ranges;
  const std::span<const uint8_t> datagram(data + 1, size - 1);
  walkers[(data[0] >> 6) % 3].kept(key, datagram, ranges);
  size_t end = 0;
  for (const ByteRange& range : ranges) {
    if (range.begin < end || range.end <= range.begin || range.end > datagram.size()) std::abort();
    end = range.end;
  }
  return 0;
}

#include "masker/udp_walk.h"

#include "masker/dtls_walk.h"

namespace pktmask {

void UdpWalker::kept(const FlowKey& key, std::span<const uint8_t> payload, std::vector<ByteRange>& ranges) {
  if (settings_.keeps_udp_port(key.sport) || settings_.keeps_udp_port(key.dport))
    append_range(ranges, 0, payload.size());
  else if (settings_.dtls && starts_like_dtls(payload))
    dtls_kept(settings_, payload, ranges);
  else if (settings_.quic)
    quic_.kept(key, payload, ranges);
}

}  // namespace pktmask

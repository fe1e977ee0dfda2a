#include "masker/udp_walk.h"

namespace pktmask {

void UdpWalker::kept(const FlowKey& key, std::span<const uint8_t> payload, std::vector<ByteRange>& ranges) {
  if (settings_.keeps_udp_port(key.sport) || settings_.keeps_udp_port(key.dport)) ranges.push_back({0, payload.size()});
}

}  // namespace pktmask

#pragma once
// The QUIC walk of masking policy v2 (sections 4 and 10): a datagram keeps
// only the version-independent invariant fields (RFC 8999) of its first
// packet. A short header carries no length for its DCID, so the walk
// remembers, per UDP 4-tuple, the SCID length each endpoint announced in its
// long headers: the DCID its peer then sends in short headers is that long.

#include <array>
#include <cstddef>
#include <cstdint>
#include <list>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/byte_range.h"
#include "common/flow_key.h"

namespace pktmask {

class QuicWalk {
 public:
  // At most this many 4-tuples are remembered; past it the one seen least
  // recently is forgotten (its short headers then keep nothing).
  static constexpr size_t kDefaultCapacity = 65536;

  explicit QuicWalk(size_t capacity = kDefaultCapacity) : capacity_(capacity > 0 ? capacity : 1) {}

  // Appends what is kept of one datagram sent from key.src to key.dst:
  // - a long header (first byte bit 0x80) of a known version (1, 2, drafts
  //   0xff0000xx, 0 = version negotiation) with CIDs of at most 20 bytes:
  //   first byte, version, DCID length, DCID, SCID length, SCID;
  // - a short header on a 4-tuple seen with such long headers (either
  //   direction): its first byte, and its DCID when the receiver announced
  //   its SCID length;
  // - nothing of anything else, nor of the packets coalesced after the first.
  void kept(const FlowKey& key, std::span<const uint8_t> datagram, std::vector<ByteRange>& ranges);

 private:
  static constexpr int kUnknown = -1;
  struct Connection {
    std::array<int, 2> scid_length{kUnknown, kUnknown};  // by endpoint: 0 the lower (address, port)
    std::list<FlowKey>::iterator age;
  };

  // The connection of a 4-tuple (key of its lower endpoint first), moved to the newest.
  Connection* find(const FlowKey& pair);
  Connection& find_or_add(const FlowKey& pair);

  size_t capacity_;
  std::unordered_map<FlowKey, Connection, FlowKeyHash> connections_;
  std::list<FlowKey> by_age_;  // oldest first
};

}  // namespace pktmask

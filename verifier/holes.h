#pragma once
// The bytes of a packet's headers that a record comparison judges by rules
// of their own rather than by equality with the original.

#include <array>
#include <cstddef>

#include "common/decode/decoded_packet.h"

namespace pktmask::verify {

struct Hole {
  size_t start;
  size_t end;
};

// A packet's holes, kept in order of their start as they are added: the TCP
// payload and checksums, and with anonymization every address site and every
// checksum that depends on one.
struct Holes {
  std::array<Hole, 3 + kMaxOuterChecksums + kMaxAddressSites + kMaxAddressChecksums> list;
  size_t count = 0;
  void add(Hole hole) {
    size_t i = count++;
    for (; i > 0 && list[i - 1].start > hole.start; --i) list[i] = list[i - 1];
    list[i] = hole;
  }
};

}  // namespace pktmask::verify

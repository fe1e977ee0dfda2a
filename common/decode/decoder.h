#pragma once
// Decodes a packet from its link layer down to the innermost TCP segment.
// Never throws and never reads outside `data`.

#include <cstdint>
#include <span>

#include "common/decode/decoded_packet.h"

namespace pktmask {

DecodedPacket decode_packet(uint32_t link_type, std::span<const uint8_t> data);

}  // namespace pktmask

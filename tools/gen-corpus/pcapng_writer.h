#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "capture.h"

namespace gen_corpus {

// A pcapng file: the layout's sections, interfaces, packet blocks (EPB,
// SPB or OPB as each packet asks) and opaque blocks, in order.
std::vector<uint8_t> write_pcapng(const pcapng_layout& layout, const std::vector<packet>& packets, packet_bytes which);

// The body of a Custom Block (type 0x00000bad or 0x40000bad): private
// enterprise number, then data padded to 32 bits.
std::vector<uint8_t> custom_block_body(bool big_endian, uint32_t enterprise, std::span<const uint8_t> data);

}  // namespace gen_corpus

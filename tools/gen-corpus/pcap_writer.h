#pragma once

#include <cstdint>
#include <vector>

#include "capture.h"

namespace gen_corpus {

// A classic pcap file: microsecond or nanosecond magic, or the "modified"
// Kuznetzov format (magic 0xa1b2cd34, 24-byte record headers), in either
// byte order.
std::vector<uint8_t> write_pcap(const pcap_layout& layout, const std::vector<packet>& packets, packet_bytes which);

}  // namespace gen_corpus

// Linked into a copy of pktmask (pktmask-leaky) whose masker leaks: it sets
// the last byte of every masked payload to a non-zero value after masking, as
// a masker bug would. The self-check must refuse every such output. The
// fault is installed before main() runs; pktmask itself never links this.
#include <span>

#include "masker/masker.h"

namespace {

void leak_last_byte(std::span<uint8_t> payload) {
  if (!payload.empty()) payload.back() = 0x4c;
}

const bool kInstalled = (pktmask::set_mask_fault(leak_last_byte), true);

}  // namespace

// libFuzzer target: the decoder never reads outside the packet and never
// crashes, whatever the bytes and the link type.
#include <cstddef>
#include <cstdint>

#include "common/decode/decoder.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  static constexpr uint32_t kLinkTypes[] = {0, 1, 12, 14, 101, 108, 113, 228, 229, 276};
  uint32_t link_type = kLinkTypes[data[0] % (sizeof kLinkTypes / sizeof kLinkTypes[0])];
  pktmask::decode_packet(link_type, {data + 1, size - 1});
  return 0;
}

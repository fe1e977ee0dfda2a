#include "masker/mask_stats.h"

namespace pktmask {

const char* to_string(ByteClass byte_class) {
  switch (byte_class) {
    case ByteClass::udp:
      return "udp";
    case ByteClass::icmp:
      return "icmp";
    case ByteClass::fragment:
      return "fragment";
    case ByteClass::esp:
      return "esp";
    case ByteClass::trailer:
      return "trailer";
    case ByteClass::undecoded:
      return "undecoded";
  }
  return "unknown";
}

}  // namespace pktmask

#include "report/link_type_name.h"

namespace pktmask::report {

std::string link_type_name(uint32_t link_type) {
  switch (link_type) {
    case 0:
      return "NULL";
    case 1:
      return "EN10MB";
    case 12:
    case 14:
    case 101:
      return "RAW";
    case 108:
      return "LOOP";
    case 113:
      return "LINUX_SLL";
    case 228:
      return "IPV4";
    case 229:
      return "IPV6";
    case 276:
      return "LINUX_SLL2";
    default:
      return "LINKTYPE_" + std::to_string(link_type);
  }
}

}  // namespace pktmask::report

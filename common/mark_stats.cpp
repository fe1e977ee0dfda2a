#include "common/mark_stats.h"

namespace pktmask {

const char* tls_content_type_name(uint8_t content_type) {
  switch (content_type) {
    case 20:
      return "change_cipher_spec";
    case 21:
      return "alert";
    case 22:
      return "handshake";
    case 23:
      return "application_data";
    case 24:
      return "heartbeat";
  }
  return "unknown";
}

}  // namespace pktmask

#include "report/report_model.h"

namespace pktmask::report {

const char* to_string(MarkKind kind) {
  switch (kind) {
    case MarkKind::change_cipher_spec:
      return "change_cipher_spec";
    case MarkKind::alert:
      return "alert";
    case MarkKind::handshake:
      return "handshake";
    case MarkKind::application_data:
      return "application_data";
    case MarkKind::heartbeat:
      return "heartbeat";
    case MarkKind::retransmission:
      return "retransmission";
    case MarkKind::gap:
      return "gap";
    case MarkKind::reset:
      return "reset";
  }
  return "unknown";
}

}  // namespace pktmask::report

#include "marker.h"
#include "errors.h"
namespace pktmask {
KeepRuleSet mark_tshark(const MarkJob&) { throw Error(ExitCode::internal, "tshark engine not built yet"); }
}

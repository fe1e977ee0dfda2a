#include "commands.h"

namespace pktmask::cli {

void add_verify(CLI::App& app, Action& action) {
  (void)app;
  (void)action;
}

}  // namespace pktmask::cli

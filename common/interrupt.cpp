#include "common/interrupt.h"

#include <signal.h>
#include <unistd.h>

#include <cstring>

#include "common/errors.h"

namespace pktmask {

namespace {

volatile sig_atomic_t g_signal = 0;
char g_cleanup_path[4096];

void on_signal(int number) {
  if (g_signal != 0) {
    if (g_cleanup_path[0] != '\0') ::unlink(g_cleanup_path);
    ::_exit(128 + number);
  }
  g_signal = number;
}

}  // namespace

void install_interrupt_handlers() {
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  ::signal(SIGPIPE, SIG_IGN);  // a closed pipe becomes a write error we report
  ::signal(SIGXFSZ, SIG_IGN);  // so does a file size limit (EFBIG), instead of a kill that leaves no message
}

bool interrupted() { return g_signal != 0; }

void throw_if_interrupted() {
  if (g_signal != 0) throw Error(ExitCode::interrupted, g_signal == SIGTERM ? "terminated" : "interrupted");
}

void set_emergency_cleanup(const char* path) {
  if (path == nullptr || std::strlen(path) >= sizeof g_cleanup_path) {
    g_cleanup_path[0] = '\0';
    return;
  }
  std::strcpy(g_cleanup_path, path);
}

void remove_emergency_file() {
  if (g_cleanup_path[0] != '\0') ::unlink(g_cleanup_path);
}

}  // namespace pktmask

#pragma once
// SIGINT/SIGTERM handling. The first signal sets a flag that long loops poll,
// so the run unwinds normally and removes its temporary output. A second
// signal removes the registered temporary file and exits at once.

namespace pktmask {

void install_interrupt_handlers();
bool interrupted();
// Throws Error(interrupted) once a signal arrived.
void throw_if_interrupted();
// The temporary file to remove on a second signal (nullptr to clear).
void set_emergency_cleanup(const char* path);
// Removes that file now (a capture's second signal, taken on a watcher thread).
void remove_emergency_file();

}  // namespace pktmask

#pragma once
// What an output path names, and so how it may be written (docs/usage.md,
// "Output paths"). A regular file, or a name that does not exist yet, is
// replaced atomically (OutputFile). Anything else that exists already (a
// character device such as /dev/null, a FIFO, a socket) is written in place
// and never replaced or removed. A symbolic link as the last component is
// refused: in a shared directory it may have been planted to make pktmask
// write elsewhere. The one exception is a link owned by the user or root
// that leads to something that is not a regular file or directory
// (/dev/stdout, /dev/fd/N): writing through it replaces nothing.

#include <string>

namespace pktmask {

enum class OutputKind { standard_output, in_place, replaced };

// Throws Error(output_failed) for a refused symbolic link or a directory.
OutputKind output_kind(const std::string& path);

// Opens an in-place output for writing, with `flags` added (O_APPEND), and
// checks that it is still not a regular file. Throws Error(output_failed).
int open_in_place(const std::string& path, int flags);

// The permission bits a new file gets: 0666 minus the umask.
unsigned normal_file_mode();

}  // namespace pktmask

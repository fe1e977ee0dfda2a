#pragma once
// A private scratch file: created 0600 in $TMPDIR (default /tmp) and
// unlinked at once, so it disappears with its descriptor whatever happens.

namespace pktmask {

// The open descriptor (O_CLOEXEC), or -1 when none can be made.
int anonymous_temp_file(const char* purpose);

}  // namespace pktmask

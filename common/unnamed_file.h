#pragma once
// Scratch files nobody else can open: unnamed (O_TMPFILE) where the file
// system allows, else created with mode 0600 and unlinked at once. Either
// way no name is left behind, whatever ends the process.

#include <string>

namespace pktmask {

// A read-write descriptor in $TMPDIR (default /tmp), or -1 with errno set.
// `inherited`: no O_CLOEXEC, so a child process (tshark) can reach it as
// /proc/self/fd/N.
int create_unnamed_file(bool inherited);

class InputStream;

// Copies what is left of `in` (decompressed, as it reads) into a new unnamed
// file and returns its descriptor. Throws Error(output_failed) naming `in`;
// an interrupt throws Error(interrupted). Either way nothing is left behind.
int copy_to_unnamed_file(InputStream& in, bool inherited);

// $TMPDIR, or /tmp when it is unset or empty.
std::string temp_directory();

}  // namespace pktmask

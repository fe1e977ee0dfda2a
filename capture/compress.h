#pragma once
// Compression of finished sanitized segments: collected into tar.gz or zip
// archives (archive.h, the cleaner's default), or each file on its own with
// gzip (zlib) or zstd, streamed in bounded chunks, all-or-nothing like
// OutputFile.

#include <string>

namespace pktmask {

enum class Compression { none, gzip, zstd, tar_gz, zip };

// "tar.gz", "zip", "gzip", "zstd" or "none"; throws Error(usage) otherwise.
Compression parse_compression(const std::string& name);
// The same names back.
std::string compression_name(Compression c);

// Whether segments are collected into archives rather than compressed one by one.
bool is_archive(Compression c);

// ".tar.gz", ".zip", ".gz", ".zst", or "" for none.
std::string compression_suffix(Compression c);

// Valid levels: gzip, tar.gz and zip 1..9, zstd 1..19; 0 picks the default
// (6, zstd 3).
// Returns the level to use (0 for none, whatever was asked). Throws
// Error(usage) when out of range.
int check_compression_level(Compression c, int level);

// Compresses `path` into path + suffix and returns that path (`path` itself
// for none; not for the archive formats). The copy goes to a temporary dotfile in the same directory,
// keeps the original's mode and mtime (retention orders by mtime), is
// fsynced and renamed into place, and only then is `path` removed. On
// failure the temporary is removed, `path` is left as it was, and it throws
// Error(output_failed, "<path>: <what>: <reason>"); the one exception is a
// failure to remove `path` at the very end, which throws with the compressed
// copy already in place.
std::string compress_file(const std::string& path, Compression c, int level);

}  // namespace pktmask

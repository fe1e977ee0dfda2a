#pragma once
// Collects finished sanitized segments into one tar.gz or zip archive through
// libarchive, all-or-nothing: the archive is written to a temporary dotfile
// beside its final name, synced and renamed into place; only then may the
// segments it holds be removed.

#include <cstdint>
#include <string>
#include <vector>

namespace pktmask {

enum class ArchiveFormat { tar_gz, zip };

// ".tar.gz" or ".zip".
std::string archive_suffix(ArchiveFormat format);

// Writes `files` (stored under their base names, with their mode and mtime)
// into `target` at deflate `level` (1..9), and returns the archive's size.
// On failure the temporary is removed, the files are left as they were, and
// it throws Error(output_failed, "<target>: <what>: <reason>").
uint64_t write_archive(const std::vector<std::string>& files, const std::string& target, ArchiveFormat format,
                       int level);

}  // namespace pktmask

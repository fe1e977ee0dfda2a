#pragma once
// How batch mode names its files, shared by `sanitize -O` (which writes the
// outputs) and bulk `verify` (which pairs them with their originals again):
// the captures of a directory, and the name each one's output gets.

#include <filesystem>
#include <vector>

namespace pktmask::cli {

// The name an output gets: the input's, less a compression suffix (.gz or
// .zst: outputs are written uncompressed).
std::filesystem::path output_name(const std::filesystem::path& input);

// *.pcap, *.pcapng or *.cap, also compressed as .gz or .zst.
bool is_capture_name(const std::filesystem::path& path);

// The capture files under `dir`, relative to it, in path order; with
// `recursive`, those in its subdirectories too, except under `skip` (a batch's
// output directory inside its input tree). Throws Error(bad_capture) naming
// a directory that cannot be listed.
std::vector<std::filesystem::path> captures_in(const std::filesystem::path& dir, bool recursive,
                                               const std::filesystem::path& skip);

}  // namespace pktmask::cli

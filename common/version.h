#pragma once
// pktmask's version, as --version prints it and the pcapng SHB names it.

namespace pktmask {

inline constexpr const char* kVersion = "0.1.0";

}  // namespace pktmask

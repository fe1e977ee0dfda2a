#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "capture.h"

namespace gen_corpus {

struct stream_report {
  size_t stream_id = 0;
  bool syn_seen = false;
  uint64_t start = 0;  // logical offset where the walk began
  size_t planted_headers = 0;
  size_t walked_records = 0;
  uint64_t walk_end = 0;  // where the walk stopped
};

// The oracle. For every stream: take the first captured copy of each byte,
// walk the records from the stream start, keep headers and the bodies of
// types 20/21/22/24, and zero every other captured payload byte of every
// segment by its offset; zero what packet::zeroed names (masking policy
// v2: trailers, UDP payloads, ICMP data and quotes, fragments, tunnels not
// followed). Then recompute the TCP checksum of each fully captured
// segment whose input checksum verified, and after them the tunnel
// checksums (outer UDP, GRE) and UDP/ICMP checksums the same way:
// a UDP checksum that computes to 0 is written as 0xffff, a 0 IPv4 UDP
// checksum (absent) stays 0.
//
// Fills packet::expected for every packet; throws std::logic_error when the
// builder contradicts itself (a walked header it never planted, a checksum
// that verifies although it was damaged or fails although it was not).
std::vector<stream_report> compute_expected(capture& cap);

}  // namespace gen_corpus

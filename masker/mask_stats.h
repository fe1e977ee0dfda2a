#pragma once
// What the masker counts, reported by --stats (cli/stats_json.h) and by the
// capture pipeline's events.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>

#include "common/decode/decoded_packet.h"
#include "common/decode_counters.h"
#include "common/truncation.h"
#include "masker/address_rewrite.h"

namespace pktmask {

// The bytes after the last header, by what the policy judges them as
// (besides TCP payload bytes, counted on their own).
enum class ByteClass : uint8_t { udp, icmp, fragment, esp, trailer, undecoded };
constexpr size_t kByteClassCount = 6;
const char* to_string(ByteClass byte_class);

struct ByteCounts {
  uint64_t kept = 0;
  uint64_t zeroed = 0;
};

struct MaskCounters {
  uint64_t tcp_payload_bytes_kept = 0;
  uint64_t tcp_payload_bytes_masked = 0;
  uint64_t checksums_fixed = 0;            // the innermost transport's: TCP, UDP, ICMP, ICMPv6
  uint64_t checksums_left_unverified = 0;  // input's did not verify (offload, truncation)
  uint64_t outer_checksums_fixed = 0;
  uint64_t outer_checksums_left_unverified = 0;
  std::array<ByteCounts, kByteClassCount> bytes{};
  std::array<uint64_t, kUndecodedReasonCount> undecoded_packets{};  // by UndecodedReason; `none` unused
};

// pcapng blocks removed, by what they were (policy section 8).
struct MetadataBlocksRemoved {
  uint64_t secrets = 0;          // Decryption Secrets Blocks, in every mode
  uint64_t name_resolution = 0;  // the rest in metadata=scrub only
  uint64_t custom = 0;
  uint64_t unknown = 0;
};

// Options removed, by the kind of block they were in. The SHB's counts
// include a shb_userappl replaced by pktmask's own.
struct MetadataOptionsRemoved {
  uint64_t section_header = 0;
  uint64_t interface_description = 0;
  uint64_t enhanced_packet = 0;
  uint64_t packet = 0;  // the obsolete packet block
  uint64_t interface_statistics = 0;
};

struct MetadataCounters {
  MetadataBlocksRemoved blocks_removed;
  MetadataOptionsRemoved options_removed;
  // Option lists that overran their block: all options of the block were dropped.
  uint64_t malformed_option_lists = 0;
};

struct MaskStats {
  DecodeCounters decode;
  MaskCounters payload;
  MetadataCounters metadata;
  AnonCounters anon;  // address sites rewritten (zero when not anonymizing)
  uint64_t bytes_written = 0;
  std::optional<Truncation> truncation;  // the input's torn last record, left out
  double seconds = 0;
};

}  // namespace pktmask

#pragma once
// The option lists of pcapng blocks (RFC draft "PCAP Next Generation", section
// 3.5): where a block's list begins, and a bounds-checked walk over it. Format
// knowledge only; which options a sanitized file may hold is the masker's and
// the verifier's business, each by its own reading of the policy.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

#include "common/byte_reader.h"
#include "common/capture_reader.h"

namespace pktmask {

namespace pcapng {
constexpr uint32_t kSectionHeader = 0x0a0d0d0a;
constexpr uint32_t kInterfaceDescription = 1;
constexpr uint32_t kObsoletePacket = 2;
constexpr uint32_t kSimplePacket = 3;
constexpr uint32_t kNameResolution = 4;
constexpr uint32_t kInterfaceStatistics = 5;
constexpr uint32_t kEnhancedPacket = 6;
constexpr uint32_t kDecryptionSecrets = 0x0000000a;
constexpr uint32_t kCustomCopyable = 0x00000bad;
constexpr uint32_t kCustomNotCopyable = 0x40000bad;

constexpr uint16_t kEndOfOptions = 0;
constexpr uint16_t kComment = 1;             // opt_comment
constexpr uint16_t kShbUserApplication = 4;  // shb_userappl
}  // namespace pcapng

// Options are padded to 32 bits.
constexpr size_t pcapng_padded(size_t length) { return (length + 3) & ~size_t{3}; }

// Where the option list of a pcapng block begins inside its raw bytes, for
// the block types that have one and whose fixed part is present (SHB, IDB,
// EPB, obsolete packet block, ISB); nullopt for any other block.
std::optional<size_t> pcapng_options_offset(const CaptureRecord& block);

struct PcapngOption {
  uint16_t code = 0;
  size_t offset = 0;  // of the option's 4-byte header, inside the block
  uint16_t length = 0;
  size_t size() const { return 4 + pcapng_padded(length); }  // header, value and padding
};

// Walks the options of `block` (a whole block, trailing length included) from
// `start` to opt_endofopt or the end of the list. An option that overruns the
// block makes the list malformed: the walk stops there.
class PcapngOptionWalk {
 public:
  PcapngOptionWalk(std::span<const uint8_t> block, size_t start, bool big_endian);
  // The next option, or false at the end of the list (or where it is malformed).
  bool next(PcapngOption& option);
  bool malformed() const { return malformed_; }
  std::span<const uint8_t> value(const PcapngOption& option) const {
    return block_.bytes().subspan(option.offset + 4, option.length);
  }

 private:
  ByteReader block_;
  size_t at_;
  size_t end_;
  bool big_endian_;
  bool malformed_ = false;
};

}  // namespace pktmask

#include "verifier/metadata_rules.h"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>

#include <fmt/format.h>

#include "common/byte_reader.h"
#include "common/pcapng_options.h"

namespace pktmask::verify {

namespace {

using namespace pcapng;

struct AllowedOption {
  uint32_t block_type;
  uint16_t code;
};

// Section 8's list: everything else is removed under metadata=scrub.
constexpr std::array kScrubAllowed = {
    AllowedOption{kInterfaceDescription, 9},   // if_tsresol
    AllowedOption{kInterfaceDescription, 14},  // if_tsoffset
    AllowedOption{kInterfaceDescription, 13},  // if_fcslen
    AllowedOption{kEnhancedPacket, 2},         // epb_flags
    AllowedOption{kEnhancedPacket, 4},         // epb_dropcount
    AllowedOption{kEnhancedPacket, 6},         // epb_queue
    AllowedOption{kObsoletePacket, 2},         // opb_flags
    AllowedOption{kInterfaceStatistics, 2},    // isb_starttime
    AllowedOption{kInterfaceStatistics, 3},    // isb_endtime
    AllowedOption{kInterfaceStatistics, 4},    // isb_ifrecv
    AllowedOption{kInterfaceStatistics, 5},    // isb_ifdrop
    AllowedOption{kInterfaceStatistics, 6},    // isb_filteraccept
    AllowedOption{kInterfaceStatistics, 7},    // isb_osdrop
    AllowedOption{kInterfaceStatistics, 8},    // isb_usrdeliv
};

constexpr size_t kSectionLength = 16;
constexpr std::string_view kUserApplicationPrefix = "pktmask ";
constexpr std::string_view kAnnotationPrefix = "pktmask: ";
constexpr uint16_t kOptComment = 1;

// Whether the original's option `code` belongs in the output. pktmask's own
// shb_userappl replaces the input's in every mode.
bool option_expected(uint32_t block_type, uint16_t code, MetadataMode mode) {
  if (block_type == kSectionHeader && code == kShbUserApplication) return false;
  if (mode == MetadataMode::keep) return true;
  return std::any_of(kScrubAllowed.begin(), kScrubAllowed.end(), [&](const AllowedOption& allowed) {
    return allowed.block_type == block_type && allowed.code == code;
  });
}

std::string_view text_of(std::span<const uint8_t> value) {
  return {reinterpret_cast<const char*>(value.data()), value.size()};
}

bool equal_bytes(std::span<const uint8_t> a, std::span<const uint8_t> b) { return std::ranges::equal(a, b); }

// Bytes [from, to) of both blocks, except a packet's data (judged by the
// packet rules) and a section length declared unspecified.
std::string fixed_part_problem(const CaptureRecord& original, std::span<const uint8_t> sanitized, size_t from,
                               size_t to) {
  size_t data_start = original.has_packet() ? original.packet_offset() : to;
  size_t data_end = original.has_packet() ? data_start + original.packet.data.size() : to;
  auto unspecified = [&](size_t at) {
    return original.block_type == kSectionHeader && at >= kSectionLength && at < kSectionLength + 8 &&
           std::all_of(sanitized.begin() + kSectionLength, sanitized.begin() + kSectionLength + 8,
                       [](uint8_t b) { return b == 0xff; });
  };
  for (size_t at = from; at < to; ++at) {
    if (at == data_start) at = data_end;
    if (at < to && original.raw[at] != sanitized[at] && !unspecified(at))
      return fmt::format("differs at byte {} of the block (outside its options and packet data)", at);
  }
  return {};
}

// The original's options that belong in the output, in order: none where its list is malformed.
class ExpectedOptions {
 public:
  ExpectedOptions(const CaptureRecord& original, size_t start, MetadataMode mode)
      : walk_(original.raw, start, original.big_endian), type_(original.block_type), mode_(mode) {
    PcapngOptionWalk check(original.raw, start, original.big_endian);
    for (PcapngOption option; check.next(option);) {
    }
    none_ = check.malformed();
  }
  bool next(PcapngOption& option, std::span<const uint8_t>& value) {
    if (none_) return false;
    while (walk_.next(option)) {
      if (!option_expected(type_, option.code, mode_)) continue;
      value = walk_.value(option);
      return true;
    }
    return false;
  }

 private:
  PcapngOptionWalk walk_;
  uint32_t type_;
  MetadataMode mode_;
  bool none_ = false;
};

std::string options_problem(const CaptureRecord& original, std::span<const uint8_t> sanitized, size_t start,
                            MetadataMode mode, bool annotate) {
  bool section_header = original.block_type == kSectionHeader;
  bool annotated = annotate && original.block_type == kEnhancedPacket;
  ExpectedOptions expected(original, start, mode);
  PcapngOptionWalk now(sanitized, start, original.big_endian);
  size_t user_applications = 0, annotations = 0, list_end = start;
  PcapngOption want;
  std::span<const uint8_t> want_value;
  for (PcapngOption option; now.next(option);) {
    list_end = option.offset + option.size();
    std::span<const uint8_t> value = now.value(option);
    if (section_header && option.code == kShbUserApplication) {
      ++user_applications;
      if (!text_of(value).starts_with(kUserApplicationPrefix)) return "its shb_userappl does not name pktmask";
      continue;
    }
    // Each of the original's kept options, in order; pktmask's comment
    // after the last of them.
    bool expected_next = expected.next(want, want_value);
    if (!expected_next && annotated && annotations == 0 && option.code == kOptComment &&
        text_of(value).starts_with(kAnnotationPrefix)) {
      ++annotations;
      continue;
    }
    if (!expected_next || want.code != option.code || !equal_bytes(want_value, value))
      return fmt::format("option {} (at byte {}) is not one the original has and the policy keeps", option.code,
                         option.offset);
  }
  if (now.malformed()) return "its option list overruns the block";
  if (expected.next(want, want_value))
    return fmt::format("option {} of the original, which the policy keeps, is missing", want.code);
  if (section_header && user_applications != 1)
    return fmt::format("the section header has {} shb_userappl options, not one", user_applications);
  // After the list: nothing, or opt_endofopt.
  size_t rest = sanitized.size() - 4 - list_end;
  ByteReader tail(sanitized);
  if (rest != 0 && !(rest == 4 && tail.u32(list_end, false) == 0))
    return fmt::format("{} bytes after its options", rest);
  return {};
}

}  // namespace

bool block_allowed(uint32_t block_type, MetadataMode mode) {
  if (block_type == kDecryptionSecrets) return false;
  if (mode == MetadataMode::keep) return true;
  switch (block_type) {
    case kSectionHeader:
    case kInterfaceDescription:
    case kObsoletePacket:
    case kSimplePacket:
    case kInterfaceStatistics:
    case kEnhancedPacket:
      return true;
    default:
      return false;
  }
}

std::string block_name(uint32_t block_type) {
  switch (block_type) {
    case kSectionHeader:
      return "a Section Header Block";
    case kInterfaceDescription:
      return "an Interface Description Block";
    case kObsoletePacket:
      return "a Packet Block";
    case kSimplePacket:
      return "a Simple Packet Block";
    case kNameResolution:
      return "a Name Resolution Block";
    case kInterfaceStatistics:
      return "an Interface Statistics Block";
    case kEnhancedPacket:
      return "an Enhanced Packet Block";
    case kDecryptionSecrets:
      return "a Decryption Secrets Block (TLS keys)";
    case kCustomCopyable:
    case kCustomNotCopyable:
      return "a Custom Block";
    default:
      return fmt::format("a block of type {:#010x}", block_type);
  }
}

std::string metadata_problem(const CaptureRecord& original, std::span<const uint8_t> sanitized, MetadataMode mode,
                             bool annotate) {
  uint32_t type = original.block_type;
  bool allowed = block_allowed(type, mode);
  if (sanitized.empty()) return allowed ? fmt::format("{} was removed", block_name(type)) : std::string();
  if (!allowed) return fmt::format("{} is left in the sanitized file", block_name(type));
  ByteReader now(sanitized);
  size_t size = sanitized.size();
  bool big = original.big_endian;
  if (size < 12 || size % 4 != 0 || now.u32(0, big) != type || now.u32(4, big) != size ||
      now.u32(size - 4, big) != size)
    return "its block type or lengths do not match the original block and its own size";
  std::optional<size_t> start = pcapng_options_offset(original);
  bool rewritten =
      start && (type == kSectionHeader || mode == MetadataMode::scrub || (annotate && type == kEnhancedPacket));
  if (!rewritten) {
    if (size != original.raw.size()) return "a block that must be copied as it is changed its length";
    return fixed_part_problem(original, sanitized, 8, size);
  }
  if (size < *start + 4) return "the block is shorter than its fixed fields";
  if (std::string problem = fixed_part_problem(original, sanitized, 8, *start); !problem.empty()) return problem;
  return options_problem(original, sanitized, *start, mode, annotate);
}

}  // namespace pktmask::verify

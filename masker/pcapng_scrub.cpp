#include "masker/pcapng_scrub.h"

#include <fmt/format.h>

#include "common/anon/anon_key.h"
#include "common/pcapng_options.h"
#include "common/version.h"

namespace pktmask {

namespace {

// The options metadata=scrub keeps (section 8): timestamp interpretation,
// FCS length, packet flags and queue, and the counters of an ISB.
bool scrub_keeps(uint32_t block_type, uint16_t code) {
  switch (block_type) {
    case pcapng::kInterfaceDescription:
      return code == 9 || code == 13 || code == 14;  // if_tsresol, if_fcslen, if_tsoffset
    case pcapng::kEnhancedPacket:
      return code == 2 || code == 4 || code == 6;  // epb_flags, epb_dropcount, epb_queue
    case pcapng::kObsoletePacket:
      return code == 2;  // opb_flags
    case pcapng::kInterfaceStatistics:
      return code >= 2 && code <= 8;  // isb_starttime, isb_endtime, isb_ifrecv .. isb_usrdeliv
    default:
      return false;
  }
}

uint64_t& options_removed(MetadataOptionsRemoved& removed, uint32_t block_type) {
  switch (block_type) {
    case pcapng::kSectionHeader:
      return removed.section_header;
    case pcapng::kInterfaceDescription:
      return removed.interface_description;
    case pcapng::kEnhancedPacket:
      return removed.enhanced_packet;
    case pcapng::kObsoletePacket:
      return removed.packet;
    default:
      return removed.interface_statistics;  // pcapng_options_offset() knows no other block with options
  }
}

// Writes `value` into `at` (2 or 4 bytes) in the section's byte order.
void store(std::span<uint8_t> at, uint32_t value, bool big_endian) {
  for (size_t i = 0; i < at.size(); ++i)
    at[i] = static_cast<uint8_t>(value >> 8 * (big_endian ? at.size() - 1 - i : i));
}

void append(std::vector<uint8_t>& out, uint32_t value, size_t bytes, bool big_endian) {
  out.resize(out.size() + bytes);
  store(std::span(out).last(bytes), value, big_endian);
}

void append_option(std::vector<uint8_t>& out, uint16_t code, std::string_view value, bool big_endian) {
  append(out, code, 2, big_endian);
  append(out, static_cast<uint32_t>(value.size()), 2, big_endian);
  out.insert(out.end(), value.begin(), value.end());
  out.resize(pcapng_padded(out.size()));
}

bool known_block(uint32_t block_type) {
  switch (block_type) {
    case pcapng::kSectionHeader:
    case pcapng::kInterfaceDescription:
    case pcapng::kObsoletePacket:
    case pcapng::kSimplePacket:
    case pcapng::kInterfaceStatistics:
    case pcapng::kEnhancedPacket:
      return true;
    default:
      return false;
  }
}

// Which addresses a key owner can map back, and with which key (never the
// key itself); nothing when not anonymizing, so such outputs stay as they were.
std::string anonymization_note(const AnonSetup& anon) {
  if (!anon.settings.any() || !anon.key) return "";
  const char* kinds = anon.settings.ip && anon.settings.mac ? "ip+mac" : anon.settings.ip ? "ip" : "mac";
  return fmt::format(", anonymized {}, key {}", kinds, key_id(*anon.key));
}

}  // namespace

PcapngScrub::PcapngScrub(const PolicySettings& settings, const AnonSetup& anon)
    : mode_(settings.metadata),
      user_application_(fmt::format("pktmask {} (masking policy {}, profile {}, settings {}{})", kVersion,
                                    kMaskingPolicyVersion, to_string(settings.profile), settings_hash(settings),
                                    anonymization_note(anon))) {}

bool PcapngScrub::removed(uint32_t block_type) {
  MetadataBlocksRemoved& blocks = counters_.blocks_removed;
  if (block_type == pcapng::kDecryptionSecrets) return ++blocks.secrets;
  if (mode_ == MetadataMode::keep || known_block(block_type)) return false;
  if (block_type == pcapng::kNameResolution) return ++blocks.name_resolution;
  if (block_type == pcapng::kCustomCopyable || block_type == pcapng::kCustomNotCopyable) return ++blocks.custom;
  return ++blocks.unknown;
}

std::span<const uint8_t> PcapngScrub::rewrite(const CaptureRecord& record, std::string_view comment) {
  if (record.format != CaptureFormat::pcapng) return record.raw;
  if (removed(record.block_type)) return {};
  if (record.block_type != pcapng::kEnhancedPacket) comment = {};
  bool rewritten = record.block_type == pcapng::kSectionHeader || mode_ == MetadataMode::scrub || !comment.empty();
  std::optional<size_t> start = pcapng_options_offset(record);
  if (!rewritten || !start) return record.raw;
  return rewrite_options(record, *start, comment);
}

// Copies the block with the options it may keep. Where it keeps all of
// them (a packet without options, the common case) the input's bytes are
// written as they are, after one walk over the options and no copy.
std::span<const uint8_t> PcapngScrub::rewrite_options(const CaptureRecord& block, size_t start,
                                                      std::string_view comment) {
  bool section_header = block.block_type == pcapng::kSectionHeader;
  auto keeps = [&](uint16_t code) {
    if (mode_ == MetadataMode::keep) return !section_header || code != pcapng::kShbUserApplication;
    return !section_header && scrub_keeps(block.block_type, code);
  };
  uint64_t found = 0, dropped = 0;
  PcapngOptionWalk survey(block.raw, start, block.big_endian);
  for (PcapngOption option; survey.next(option); ++found) dropped += keeps(option.code) ? 0 : 1;
  if (!survey.malformed() && dropped == 0 && !section_header && comment.empty()) return block.raw;
  out_.assign(block.raw.begin(), block.raw.begin() + static_cast<ptrdiff_t>(start));
  uint64_t kept = 0;
  if (survey.malformed()) {
    ++counters_.malformed_option_lists;
    dropped = found;
  } else {
    PcapngOptionWalk walk(block.raw, start, block.big_endian);
    for (PcapngOption option; walk.next(option);) {
      if (!keeps(option.code)) continue;
      ++kept;
      auto from = block.raw.begin() + static_cast<ptrdiff_t>(option.offset);
      out_.insert(out_.end(), from, from + static_cast<ptrdiff_t>(option.size()));
    }
  }
  options_removed(counters_.options_removed, block.block_type) += dropped;
  if (section_header) {
    append_option(out_, pcapng::kShbUserApplication, user_application_, block.big_endian);
    ++kept;
  }
  if (!comment.empty()) {
    append_option(out_, pcapng::kComment, comment, block.big_endian);
    ++kept;
  }
  // pcapng ends a list with opt_endofopt; a block without options has no list.
  if (kept > 0) append(out_, pcapng::kEndOfOptions, 4, block.big_endian);
  auto length = static_cast<uint32_t>(out_.size() + 4);
  append(out_, length, 4, block.big_endian);
  store(std::span(out_).subspan(4, 4), length, block.big_endian);
  return out_;
}

}  // namespace pktmask

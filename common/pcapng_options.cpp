#include "common/pcapng_options.h"

namespace pktmask {

std::optional<size_t> pcapng_options_offset(const CaptureRecord& block) {
  if (block.format != CaptureFormat::pcapng) return std::nullopt;
  size_t offset = 0;
  switch (block.block_type) {
    case pcapng::kSectionHeader:
      offset = 24;  // byte-order magic, version, section length
      break;
    case pcapng::kInterfaceDescription:
      offset = 16;  // link type, reserved, SnapLen
      break;
    case pcapng::kInterfaceStatistics:
      offset = 20;  // interface, timestamp
      break;
    case pcapng::kEnhancedPacket:
    case pcapng::kObsoletePacket:
      if (!block.has_packet()) return std::nullopt;
      offset = block.packet_offset() + pcapng_padded(block.packet.data.size());
      break;
    default:
      return std::nullopt;
  }
  if (offset + 4 > block.raw.size()) return std::nullopt;
  return offset;
}

PcapngOptionWalk::PcapngOptionWalk(std::span<const uint8_t> block, size_t start, bool big_endian)
    : block_(block), at_(start), end_(block.size() >= 4 ? block.size() - 4 : 0), big_endian_(big_endian) {
  malformed_ = start > end_;
}

bool PcapngOptionWalk::next(PcapngOption& option) {
  if (malformed_ || at_ + 4 > end_) return false;
  option.code = block_.u16(at_, big_endian_);
  option.length = block_.u16(at_ + 2, big_endian_);
  option.offset = at_;
  if (option.code == pcapng::kEndOfOptions) {
    at_ = end_;
    return false;
  }
  if (option.size() > end_ - at_) {
    malformed_ = true;
    return false;
  }
  at_ += option.size();
  return true;
}

}  // namespace pktmask

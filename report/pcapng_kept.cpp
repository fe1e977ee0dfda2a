#include "report/pcapng_kept.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/pcapng_options.h"

namespace pktmask::report {

namespace {

constexpr size_t kMaxValueChars = 200;

// Option names from the pcapng draft, by block type; 1 is opt_comment in every block.
const char* option_name(uint32_t block_type, uint16_t code) {
  static constexpr const char* kSection[] = {"shb_hardware", "shb_os", "shb_userappl"};
  static constexpr const char* kInterface[] = {"if_name",     "if_description", "if_IPv4addr", "if_IPv6addr",
                                               "if_MACaddr",  "if_EUIaddr",     "if_speed",    "if_tsresol",
                                               "if_tzone",    "if_filter",      "if_os",       "if_fcslen",
                                               "if_tsoffset", "if_hardware",    "if_txspeed",  "if_rxspeed"};
  static constexpr const char* kPacket[] = {"epb_flags",    "epb_hash",  "epb_dropcount",
                                            "epb_packetid", "epb_queue", "epb_verdict"};
  static constexpr const char* kObsolete[] = {"pack_flags", "pack_hash"};
  static constexpr const char* kStatistics[] = {"isb_starttime",    "isb_endtime", "isb_ifrecv",  "isb_ifdrop",
                                                "isb_filteraccept", "isb_osdrop",  "isb_usrdeliv"};
  if (code == pcapng::kComment) return "comment";
  if (code == 2988 || code == 2989 || code == 19372 || code == 19373) return "custom option";
  auto pick = [code](std::span<const char* const> names) -> const char* {
    return code >= 2 && code - 2u < names.size() ? names[code - 2u] : nullptr;
  };
  switch (block_type) {
    case pcapng::kSectionHeader:
      return pick(kSection);
    case pcapng::kInterfaceDescription:
      return pick(kInterface);
    case pcapng::kEnhancedPacket:
      return pick(kPacket);
    case pcapng::kObsoletePacket:
      return pick(kObsolete);
    case pcapng::kInterfaceStatistics:
      return pick(kStatistics);
    default:
      return nullptr;
  }
}

const char* block_name(uint32_t block_type) {
  switch (block_type) {
    case pcapng::kNameResolution:
      return "Name Resolution Block";
    case pcapng::kInterfaceStatistics:
      return "Interface Statistics Block";
    case pcapng::kDecryptionSecrets:
      return "Decryption Secrets Block";
    case pcapng::kCustomCopyable:
    case pcapng::kCustomNotCopyable:
      return "Custom Block";
    case 0x00000009:
      return "systemd Journal Export Block";
    default:
      return nullptr;
  }
}

bool lists_block(uint32_t block_type) {
  switch (block_type) {
    case pcapng::kSectionHeader:
    case pcapng::kInterfaceDescription:
    case pcapng::kEnhancedPacket:
    case pcapng::kSimplePacket:
    case pcapng::kObsoletePacket:
      return false;
    default:
      return true;
  }
}

// Text where every byte is printable ASCII (trailing NULs aside), else hex; cut at kMaxValueChars.
std::string value_text(std::span<const uint8_t> value) {
  std::span<const uint8_t> text_bytes = value;
  while (!text_bytes.empty() && text_bytes.back() == 0) text_bytes = text_bytes.first(text_bytes.size() - 1);
  bool printable = !text_bytes.empty();
  for (uint8_t byte : text_bytes) printable = printable && byte >= 0x20 && byte < 0x7f;
  std::string text;
  if (printable) {
    size_t shown = std::min(text_bytes.size(), kMaxValueChars);
    text.assign(text_bytes.begin(), text_bytes.begin() + static_cast<ptrdiff_t>(shown));
    if (shown < text_bytes.size()) text += "...";
    return text;
  }
  size_t shown = std::min(value.size(), kMaxValueChars / 2);
  for (size_t i = 0; i < shown; ++i) text += fmt::format("{:02x}", value[i]);
  if (shown < value.size()) text += "...";
  return text;
}

}  // namespace

void PcapngKept::block(const CaptureRecord& block, std::span<const uint8_t> written, uint64_t record) {
  if (block.format != CaptureFormat::pcapng || written.empty()) return;
  auto type = [&] { return std::string_view(reinterpret_cast<const char*>(&block.block_type), 4); };
  if (lists_block(block.block_type)) {
    tally_.note(type(), record, [&] {
      const char* name = block_name(block.block_type);
      return name ? std::string("block: ") + name : fmt::format("block: type 0x{:08x}", block.block_type);
    });
  }
  std::optional<size_t> start = pcapng_options_offset(block);
  if (!start) return;
  PcapngOptionWalk walk(written, *start, block.big_endian);
  for (PcapngOption option; walk.next(option);) {
    std::span<const uint8_t> bytes = ByteReader(written).sub(option.offset, 4 + size_t{option.length}).bytes();
    key_.assign(type());
    key_.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    tally_.note(key_, record, [&] {
      const char* name = option_name(block.block_type, option.code);
      std::string shown = name ? name : fmt::format("option {}", option.code);
      return shown + ": " + value_text(walk.value(option));
    });
  }
}

std::string pktmask_application(const CaptureRecord& section_header) {
  std::optional<size_t> start = pcapng_options_offset(section_header);
  if (!start) return "";
  PcapngOptionWalk walk(section_header.raw, *start, section_header.big_endian);
  for (PcapngOption option; walk.next(option);) {
    if (option.code != pcapng::kShbUserApplication) continue;
    std::span<const uint8_t> value = walk.value(option);
    std::string text(value.begin(), value.end());
    if (text.starts_with("pktmask")) return text;
  }
  return "";
}

}  // namespace pktmask::report

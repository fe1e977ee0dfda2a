#include "pcapng_writer.h"

#include <stdexcept>
#include <string_view>

#include "byte_writer.h"

namespace gen_corpus {

namespace {

namespace block_type {
constexpr uint32_t section_header = 0x0a0d0d0a;
constexpr uint32_t interface_description = 1;
constexpr uint32_t obsolete_packet = 2;
constexpr uint32_t simple_packet = 3;
constexpr uint32_t interface_statistics = 5;
constexpr uint32_t enhanced_packet = 6;
}  // namespace block_type

namespace option {
constexpr uint16_t end = 0;
constexpr uint16_t comment = 1;
constexpr uint16_t shb_userappl = 4;
constexpr uint16_t if_name = 2;
constexpr uint16_t if_tsresol = 9;
constexpr uint16_t if_tsoffset = 14;
constexpr uint16_t epb_flags = 2;
}  // namespace option

constexpr uint32_t byte_order_magic = 0x1a2b3c4d;

// The one SHB option of every expected output (masking policy 2, section 8):
// pktmask's version, the policy version, the profile and the hash of the
// default settings (`pktmask --show-config`). Pinned here, not asked of pktmask.
constexpr std::string_view sanitizer_application =
    "pktmask 0.1.0 (masking policy 2, profile default, settings 8e26daf20ca06182)";
constexpr uint8_t default_tsresol = 6;

void put_option(byte_writer& w, uint16_t code, std::span<const uint8_t> value) {
  w.u16(code);
  w.u16(static_cast<uint16_t>(value.size()));
  w.bytes(value);
  w.pad_to_multiple_of(4);
}

void put_text_option(byte_writer& w, uint16_t code, std::string_view text) {
  put_option(w, code, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

void end_options(byte_writer& w) {
  w.u16(option::end);
  w.u16(0);
}

// Timestamp in the interface's units since 1970, less if_tsoffset.
// Seconds and fraction are scaled apart so 64 bits suffice up to 2^-30 or
// 10^-9 resolution.
uint64_t timestamp_units(uint64_t ts_ns, const pcapng_interface& interface) {
  constexpr uint64_t ns_per_second = 1'000'000'000;
  const uint8_t resol = interface.tsresol.value_or(default_tsresol);
  const uint8_t exponent = resol & 0x7f;
  if (exponent > ((resol & 0x80) ? 30 : 9)) {
    throw std::logic_error("if_tsresol finer than the generator supports");
  }
  uint64_t per_second = 1;
  for (int i = 0; i < exponent; ++i) {
    per_second *= (resol & 0x80) ? 2 : 10;
  }
  const uint64_t seconds = ts_ns / ns_per_second - static_cast<uint64_t>(interface.tsoffset);
  const uint64_t fraction = ts_ns % ns_per_second;
  return seconds * per_second + fraction * per_second / ns_per_second;
}

class pcapng_file {
 public:
  pcapng_file(const std::vector<packet>& packets, packet_bytes which) : packets_(packets), which_(which) {}

  void section(const pcapng_section& s) {
    big_endian_ = s.big_endian;  // every block of the section follows the SHB's order
    byte_writer body(big_endian_);
    body.u32(byte_order_magic);
    body.u16(1);
    body.u16(0);
    body.u64(UINT64_MAX);  // section length unknown
    put_text_option(body, option::shb_userappl, expected() ? sanitizer_application : s.application);
    end_options(body);
    put_block(block_type::section_header, body.data());
    interfaces_.clear();
  }

  void interface(const pcapng_interface& i) {
    byte_writer body(big_endian_);
    body.u16(static_cast<uint16_t>(i.link_type));
    body.u16(0);
    body.u32(i.snaplen);
    const size_t options_start = body.size();
    if (!i.name.empty() && !expected()) {  // interface names are scrubbed
      put_text_option(body, option::if_name, i.name);
    }
    if (i.tsresol) {
      const uint8_t resol[1] = {*i.tsresol};
      put_option(body, option::if_tsresol, resol);
    }
    if (i.tsoffset != 0) {
      byte_writer offset(big_endian_);
      offset.u64(static_cast<uint64_t>(i.tsoffset));
      put_option(body, option::if_tsoffset, offset.data());
    }
    // A sanitized block left without options has no option list, not a
    // lone opt_endofopt; the inputs keep theirs.
    if (!expected() || body.size() > options_start) {
      end_options(body);
    }
    put_block(block_type::interface_description, body.data());
    interfaces_.push_back(i);
  }

  void packet_block(size_t index) {
    const packet& p = packets_.at(index);
    if (p.interface_id >= interfaces_.size() || interfaces_[p.interface_id].link_type != p.link_type) {
      throw std::logic_error("pcapng packet on an undescribed interface");
    }
    const auto data = stored_bytes(p, which_);
    byte_writer body(big_endian_);
    switch (p.block) {
      case packet_block::simple:
        body.u32(static_cast<uint32_t>(p.frame.size()));
        body.bytes(data);
        body.pad_to_multiple_of(4);
        put_block(block_type::simple_packet, body.data());
        return;
      case packet_block::enhanced:
        body.u32(p.interface_id);
        break;
      case packet_block::obsolete:
        body.u16(static_cast<uint16_t>(p.interface_id));
        body.u16(0);  // drops count
        break;
    }
    const uint64_t units = timestamp_units(p.ts_ns, interfaces_[p.interface_id]);
    body.u32(static_cast<uint32_t>(units >> 32));
    body.u32(static_cast<uint32_t>(units));
    body.u32(static_cast<uint32_t>(data.size()));
    body.u32(static_cast<uint32_t>(p.frame.size()));
    body.bytes(data);
    body.pad_to_multiple_of(4);
    // Comments are scrubbed; epb_flags stays.
    const bool flags = p.block == packet_block::enhanced;
    if (!p.comment.empty() && (flags || !expected())) {
      if (!expected()) {
        put_text_option(body, option::comment, p.comment);
      }
      if (flags) {
        byte_writer value(big_endian_);
        value.u32(1);  // inbound
        put_option(body, option::epb_flags, value.data());
      }
      end_options(body);
    }
    put_block(p.block == packet_block::enhanced ? block_type::enhanced_packet : block_type::obsolete_packet,
              body.data());
  }

  void opaque_block(const pcapng_block& b) { put_block(b.type, b.body); }

  std::vector<uint8_t> take() { return std::move(file_); }

 private:
  bool expected() const { return which_ == packet_bytes::expected; }

  void put_block(uint32_t type, const std::vector<uint8_t>& body) {
    const auto total = static_cast<uint32_t>(12 + body.size());
    byte_writer block(big_endian_);
    block.u32(type);
    block.u32(total);
    block.bytes(body);
    block.u32(total);
    file_.insert(file_.end(), block.data().begin(), block.data().end());
  }

  const std::vector<packet>& packets_;
  packet_bytes which_;
  bool big_endian_ = false;
  std::vector<pcapng_interface> interfaces_;
  std::vector<uint8_t> file_;
};

}  // namespace

std::vector<uint8_t> write_pcapng(const pcapng_layout& layout, const std::vector<packet>& packets, packet_bytes which) {
  pcapng_file file(packets, which);
  for (const auto& item : layout.items) {
    if (const auto* s = std::get_if<pcapng_section>(&item)) {
      file.section(*s);
    } else if (const auto* i = std::get_if<pcapng_interface>(&item)) {
      file.interface(*i);
    } else if (const auto* p = std::get_if<pcapng_packet>(&item)) {
      file.packet_block(p->index);
    } else if (const auto& b = std::get<pcapng_block>(item);
               which == packet_bytes::input || b.type == block_type::interface_statistics) {
      // A sanitized file keeps no TLS keys, name resolution, custom or
      // unknown blocks; the corpus's statistics blocks hold only counters.
      file.opaque_block(b);
    }
  }
  return file.take();
}

std::vector<uint8_t> custom_block_body(bool big_endian, uint32_t enterprise, std::span<const uint8_t> data) {
  byte_writer body(big_endian);
  body.u32(enterprise);
  body.bytes(data);
  body.pad_to_multiple_of(4);
  return body.take();
}

}  // namespace gen_corpus

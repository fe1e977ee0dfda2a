#include "common/capture_reader.h"

#include <algorithm>

#include <fmt/format.h>

#include "common/byte_reader.h"
#include "common/errors.h"
#include "common/pcapng_options.h"

namespace pktmask {

namespace {

constexpr uint32_t kPcapMicro = 0xa1b2c3d4;
constexpr uint32_t kPcapNano = 0xa1b23c4d;
constexpr uint32_t kPcapModified = 0xa1b2cd34;
constexpr uint32_t kByteOrderMagic = 0x1a2b3c4d;
constexpr size_t kPcapFileHeader = 24;
// Larger records than this are corruption, not packets; refusing them keeps
// memory bounded on hostile input.
constexpr uint32_t kMaxRecord = 256u << 20;

uint32_t swap32(uint32_t v) { return __builtin_bswap32(v); }

// The if_tsresol option of an interface description block: units per second
// of its packets' timestamps (default microseconds).
uint64_t timestamp_resolution(const CaptureRecord& block) {
  PcapngOptionWalk walk(block.raw, *pcapng_options_offset(block), block.big_endian);
  for (PcapngOption option; walk.next(option);) {
    if (option.code == 9 && option.length == 1) {
      uint8_t value = walk.value(option)[0];
      uint8_t exponent = value & 0x7f;
      if (value & 0x80) return exponent < 64 ? uint64_t{1} << exponent : 1000000;
      uint64_t units = 1;
      for (uint8_t i = 0; i < exponent && i < 19; ++i) units *= 10;
      return units;
    }
  }
  return 1000000;
}

RecordKind pcapng_kind(uint32_t block_type) {
  switch (block_type) {
    case pcapng::kSectionHeader:
      return RecordKind::section_header;
    case 1:
      return RecordKind::interface_description;
    case 0x0000000a:
      return RecordKind::decryption_secrets;
    default:
      return RecordKind::other;  // a packet block is a packet once it is checked (fill_packet)
  }
}

}  // namespace

void unspecify_section_length(CaptureRecord& section_header) {
  constexpr size_t kSectionLength = 16;
  if (section_header.raw.size() >= kSectionLength + 8)
    std::fill_n(section_header.raw.begin() + kSectionLength, 8, uint8_t{0xff});
}

CaptureReader::CaptureReader(InputStream& in, TornTail torn_tail) : in_(in), torn_tail_(torn_tail) {
  size_t got = in_.ensure(kPcapFileHeader);
  if (got == 0)
    fail(0, in_.cut_short() ? "compressed stream cut short before any capture data" : "empty file, not a capture");
  if (got < 4) fail(0, "truncated file header");
  ByteReader head({in_.data(), got});
  uint32_t magic = head.be32(0);
  if (magic == pcapng::kSectionHeader) {
    format_ = CaptureFormat::pcapng;
    return;
  }
  for (bool big : {true, false}) {
    uint32_t m = big ? magic : swap32(magic);
    if (m == kPcapMicro || m == kPcapNano || m == kPcapModified) {
      big_endian_ = big;
      pcap_record_header_ = m == kPcapModified ? 24 : 16;
      nanosecond_pcap_ = m == kPcapNano;
      if (got < kPcapFileHeader) fail(0, "truncated pcap file header");
      pcap_link_type_ = head.u32(20, big) & 0xffff;
      return;
    }
  }
  fail(0, "not a pcap or pcapng capture (unknown magic number)");
}

bool CaptureReader::next(CaptureRecord& record) {
  record.kind = RecordKind::other;
  record.format = format_;
  return format_ == CaptureFormat::pcap ? next_pcap(record) : next_pcapng(record);
}

// A clean end, unless a compressed stream was cut exactly between records.
bool CaptureReader::end_of_input(uint64_t offset) {
  if (in_.cut_short()) return torn(offset, 0, "compressed stream cut short");
  return false;
}

// The input ran out `present` bytes into the record at `offset`.
bool CaptureReader::torn(uint64_t offset, size_t present, const std::string& what) {
  if (torn_tail_ == TornTail::refuse || offset == 0) fail(offset, what);
  truncation_ = Truncation{offset, present};
  return false;
}

void CaptureReader::check_block_length(uint64_t offset, uint32_t length) const {
  if (length < 12 || length % 4 != 0 || length > kMaxRecord)
    fail(offset, fmt::format("bad block total length {}", length));
}

void CaptureReader::fail(uint64_t offset, const std::string& what) const {
  throw Error(ExitCode::bad_capture, fmt::format("{}: offset {}: {}", in_.name(), offset, what));
}

bool CaptureReader::next_pcap(CaptureRecord& record) {
  record.offset = in_.offset();
  if (header_pending_) {
    header_pending_ = false;
    in_.ensure(kPcapFileHeader);
    record.raw = {in_.data(), kPcapFileHeader};
    record.kind = RecordKind::file_header;
    in_.consume(kPcapFileHeader);
    return true;
  }
  size_t got = in_.ensure(pcap_record_header_);
  if (got == 0) return end_of_input(record.offset);
  if (got < pcap_record_header_) return torn(record.offset, got, "truncated packet record header");
  ByteReader header({in_.data(), pcap_record_header_});
  uint32_t caplen = header.u32(8, big_endian_);
  uint32_t origlen = header.u32(12, big_endian_);
  // Read before the buffer refills: ensure() below may move the bytes `header` views.
  int64_t seconds = header.u32(0, big_endian_);
  int64_t fraction = header.u32(4, big_endian_);
  if (caplen > kMaxRecord) fail(record.offset, fmt::format("implausible captured length {}", caplen));
  size_t total = pcap_record_header_ + caplen;
  if (size_t present = in_.ensure(total); present < total)
    return torn(record.offset, present, "truncated packet data (file cut short)");
  record.raw = {in_.data(), total};
  record.kind = RecordKind::packet;
  ++frames_;
  int64_t time_us = seconds * 1000000 + (nanosecond_pcap_ ? fraction / 1000 : fraction);
  record.packet = Packet{++packets_, pcap_link_type_, origlen, time_us, record.raw.subspan(pcap_record_header_)};
  in_.consume(total);
  return true;
}

bool CaptureReader::next_pcapng(CaptureRecord& record) {
  record.offset = in_.offset();
  size_t got = in_.ensure(12);
  if (got == 0) return end_of_input(record.offset);
  ByteReader head({in_.data(), got});
  if (got < 12) {
    // The length of any block but a section header (whose byte order is not
    // known yet) is already there: an impossible one is corruption, not a cut.
    if (got >= 8 && head.be32(0) != pcapng::kSectionHeader) check_block_length(record.offset, head.u32(4, big_endian_));
    return torn(record.offset, got, "truncated block header");
  }
  uint32_t type = head.be32(0);
  if (type == pcapng::kSectionHeader) {
    uint32_t order = head.be32(8);
    if (order == kByteOrderMagic)
      big_endian_ = true;
    else if (swap32(order) == kByteOrderMagic)
      big_endian_ = false;
    else
      fail(record.offset, "section header block with a bad byte-order magic");
    interfaces_.clear();
  } else if (header_pending_) {
    fail(record.offset, "pcapng file does not start with a section header block");
  }
  header_pending_ = false;
  type = head.u32(0, big_endian_);
  record.kind = pcapng_kind(type);
  record.block_type = type;
  record.big_endian = big_endian_;
  uint32_t length = head.u32(4, big_endian_);
  check_block_length(record.offset, length);
  if (size_t present = in_.ensure(length); present < length)
    return torn(record.offset, present, "truncated block (file cut short)");
  record.raw = {in_.data(), length};
  ByteReader block(record.raw);
  if (block.u32(length - 4, big_endian_) != length)
    fail(record.offset, fmt::format("block total length {} does not match its trailing copy {}", length,
                                    block.u32(length - 4, big_endian_)));
  switch (type) {
    case pcapng::kSectionHeader:
      if (length < 28) fail(record.offset, "section header block too short");
      break;
    case 1:  // interface description
      if (length < 20) fail(record.offset, "interface description block too short");
      interfaces_.push_back({block.u16(8, big_endian_), block.u32(12, big_endian_), timestamp_resolution(record)});
      break;
    case 6:  // enhanced packet
      if (length < 32) fail(record.offset, "enhanced packet block too short");
      fill_packet(record, block.u32(8, big_endian_), 28, block.u32(20, big_endian_), block.u32(24, big_endian_));
      set_pcapng_time(record, block.u32(8, big_endian_),
                      uint64_t{block.u32(12, big_endian_)} << 32 | block.u32(16, big_endian_));
      break;
    case 2:  // obsolete packet block
      if (length < 32) fail(record.offset, "packet block too short");
      fill_packet(record, block.u16(8, big_endian_), 28, block.u32(20, big_endian_), block.u32(24, big_endian_));
      set_pcapng_time(record, block.u16(8, big_endian_),
                      uint64_t{block.u32(12, big_endian_)} << 32 | block.u32(16, big_endian_));
      break;
    case 3: {  // simple packet: captured length is implied
      if (length < 16) fail(record.offset, "simple packet block too short");
      uint32_t origlen = block.u32(8, big_endian_);
      uint32_t caplen = std::min<uint32_t>(origlen, length - 16);
      if (!interfaces_.empty() && interfaces_[0].snaplen != 0) caplen = std::min(caplen, interfaces_[0].snaplen);
      fill_packet(record, 0, 12, caplen, origlen);
      break;
    }
    case 0x00000bad:  // custom block, copyable
    case 0x40000bad:  // custom block, not copyable
    case 9:           // systemd journal export
    case 0x204:       // sysdig event
    case 0x208:       // sysdig event with flags
      ++frames_;
      break;
    default:
      break;
  }
  in_.consume(length);
  return true;
}

void CaptureReader::set_pcapng_time(CaptureRecord& record, uint32_t interface, uint64_t units) const {
  uint64_t per_second = interfaces_[interface].units_per_second;
  record.packet.time_us = static_cast<int64_t>(static_cast<unsigned __int128>(units) * 1000000 / per_second);
}

void CaptureReader::fill_packet(CaptureRecord& record, uint32_t interface, size_t data_offset, uint32_t caplen,
                                uint32_t origlen) {
  if (data_offset + caplen + 4 > record.raw.size())
    fail(record.offset, fmt::format("captured length {} overruns its block", caplen));
  // A packet we cannot place on an interface could not be decoded, and so
  // could not be masked: refuse the file rather than pass it through.
  if (interface >= interfaces_.size())
    fail(record.offset,
         fmt::format("packet names interface {}, but the section defines {}", interface, interfaces_.size()));
  record.kind = RecordKind::packet;
  ++frames_;
  record.packet =
      Packet{++packets_, interfaces_[interface].link_type, origlen, 0, record.raw.subspan(data_offset, caplen)};
}

}  // namespace pktmask

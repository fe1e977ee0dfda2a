#pragma once
// Streams a pcap or pcapng capture as a sequence of on-disk records: the pcap
// file header, each pcap record, each pcapng block. Writing every record's raw
// bytes back reproduces the input exactly, so the masker only ever edits
// packet data in place.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/input_stream.h"
#include "common/truncation.h"

namespace pktmask {

enum class CaptureFormat : uint8_t { pcap, pcapng };

constexpr uint32_t kUnknownLinkType = 0xffffffff;

// What a record is, as far as any stage needs to know.
enum class RecordKind {
  file_header,            // pcap
  packet,                 // a pcap record; a pcapng enhanced, simple or (obsolete) packet block
  section_header,         // pcapng
  interface_description,  // pcapng
  // A pcapng block of TLS key logs: a copy in the output would decrypt the
  // traffic, so no stage ever writes one.
  decryption_secrets,
  other,  // any other pcapng block: statistics, name resolution, custom
};

struct Packet {
  uint64_t number = 0;  // 1-based, in file order
  uint32_t link_type = kUnknownLinkType;
  uint32_t original_length = 0;
  int64_t time_us = 0;      // microseconds since the epoch; 0 where the format has no time (simple packet block)
  std::span<uint8_t> data;  // captured bytes, inside the record's raw bytes
};

struct CaptureRecord {
  uint64_t offset = 0;     // file offset of raw
  std::span<uint8_t> raw;  // valid until the next call to next()
  RecordKind kind = RecordKind::other;
  CaptureFormat format = CaptureFormat::pcap;
  // pcapng: the block's type, and the byte order of its section (which its
  // options are read in).
  uint32_t block_type = 0;
  bool big_endian = false;
  Packet packet;  // a packet's only
  bool has_packet() const { return kind == RecordKind::packet; }
  // Where a packet's captured bytes begin inside raw.
  size_t packet_offset() const { return static_cast<size_t>(packet.data.data() - raw.data()); }
};

// Declares a pcapng section header's section length unspecified (-1), as
// pcapng allows, where the records after it are not all written as read.
void unspecify_section_length(CaptureRecord& section_header);

// What to do when the input ends inside its last record (tcpdump killed,
// disk full): refuse the capture, or end it after its last complete record.
enum class TornTail { refuse, leave_out };

class CaptureReader {
 public:
  // Reads and checks the file header; throws Error(bad_capture) naming the file.
  explicit CaptureReader(InputStream& in, TornTail torn_tail = TornTail::refuse);

  CaptureFormat format() const { return format_; }
  // The next record, or false at the end of the capture. Throws
  // Error(bad_capture) with the offset on a corrupt record, and on one cut
  // short by the end of input unless TornTail::leave_out: then the capture
  // ends before it and truncation() says where. Only running out of bytes is
  // a cut; a length field no record can have is corruption wherever it is,
  // and so is a cut before the first complete record.
  bool next(CaptureRecord& record);
  const std::optional<Truncation>& truncation() const { return truncation_; }
  uint64_t packets_read() const { return packets_; }
  // Records Wireshark numbers as frames: packets, plus pcapng custom,
  // systemd journal and sysdig event blocks. tshark's frame.number counts these.
  uint64_t frames_read() const { return frames_; }

 private:
  bool next_pcap(CaptureRecord& record);
  bool next_pcapng(CaptureRecord& record);
  void fill_packet(CaptureRecord& record, uint32_t interface, size_t data_offset, uint32_t caplen, uint32_t origlen);
  void set_pcapng_time(CaptureRecord& record, uint32_t interface, uint64_t units) const;
  bool end_of_input(uint64_t offset);
  bool torn(uint64_t offset, size_t present, const std::string& what);
  void check_block_length(uint64_t offset, uint32_t length) const;
  [[noreturn]] void fail(uint64_t offset, const std::string& what) const;

  InputStream& in_;
  TornTail torn_tail_;
  std::optional<Truncation> truncation_;
  CaptureFormat format_ = CaptureFormat::pcap;
  bool big_endian_ = false;
  bool nanosecond_pcap_ = false;
  bool header_pending_ = true;
  size_t pcap_record_header_ = 16;
  uint32_t pcap_link_type_ = kUnknownLinkType;
  struct Interface {
    uint32_t link_type;
    uint32_t snaplen;
    uint64_t units_per_second;  // if_tsresol
  };
  std::vector<Interface> interfaces_;  // of the current pcapng section
  uint64_t packets_ = 0;
  uint64_t frames_ = 0;
};

}  // namespace pktmask

// Replays a capture file (or stdin) through the capture pipeline, record for
// record, as fast as it can be read.
#include <vector>

#include <fmt/format.h>

#include "capture/capture_failure.h"
#include "capture/packet_source.h"
#include "common/byte_reader.h"
#include "common/capture_reader.h"
#include "common/errors.h"
#include "common/input_stream.h"

namespace pktmask {

namespace {

constexpr uint32_t kSectionHeader = 0x0a0d0d0a;
constexpr uint32_t kInterfaceDescription = 1;

class ReplaySource : public PacketSource {
 public:
  ReplaySource(const std::string& path, TornTail torn_tail) : in_(path), reader_(in_, torn_tail) {}

  SourceStatus next(SourceRecord& out) override {
    try {
      SourceStatus status = read(out);
      if (status == SourceStatus::end && !warned_) {
        warned_ = true;
        if (auto warning = truncation_warning(in_.name(), statistics())) fmt::print(stderr, "{}\n", *warning);
      }
      return status;
    } catch (const Error&) {
      if (in_.stopped()) return SourceStatus::end;  // the record cut short by a stop was never complete
      throw;
    }
  }

  std::span<const uint8_t> preamble() const override { return preamble_; }
  const char* extension() const override { return reader_.format() == CaptureFormat::pcap ? "pcap" : "pcapng"; }
  // Only a replay cut short says so; a record cut short by a stop (the
  // stream never ended) is no truncation.
  nlohmann::json statistics() override {
    if (!reader_.truncation() || in_.stopped()) return nlohmann::json::object();
    return truncation_json(reader_.truncation());
  }
  void set_stall_check(std::function<bool()> keep_waiting) override { in_.set_stall_check(std::move(keep_waiting)); }

 private:
  SourceStatus read(SourceRecord& out) {
    CaptureRecord record;
    while (reader_.next(record)) {
      out.raw = record.raw;
      if (record.has_packet) {
        out.role = RecordRole::packet;
        out.time_us = record.packet.time_us;
        return SourceStatus::record;
      }
      if (reader_.format() == CaptureFormat::pcap) {  // the file header
        preamble_.assign(record.raw.begin(), record.raw.end());
        continue;
      }
      out.role = take_header(record.raw) ? RecordRole::header : RecordRole::other;
      if (out.role == RecordRole::header && preamble_.size() == record.raw.size()) out.raw = preamble_;
      return SourceStatus::record;
    }
    return SourceStatus::end;
  }

  // Section headers and interface descriptions start every later segment.
  bool take_header(std::span<const uint8_t> raw) {
    ByteReader block(raw);
    if (block.be32(0) == kSectionHeader) {
      preamble_.assign(raw.begin(), raw.end());
      // A segment holds only part of the section: its length becomes "unknown".
      if (preamble_.size() >= 24) std::fill(preamble_.begin() + 16, preamble_.begin() + 24, 0xff);
      big_endian_ = block.be32(8) == 0x1a2b3c4d;
      return true;
    }
    if (block.u32(0, big_endian_) == kInterfaceDescription) {
      preamble_.insert(preamble_.end(), raw.begin(), raw.end());
      return true;
    }
    return false;
  }

  InputStream in_;
  CaptureReader reader_;
  std::vector<uint8_t> preamble_;
  bool big_endian_ = false;
  bool warned_ = false;
};

}  // namespace

std::unique_ptr<PacketSource> open_replay_source(const std::string& path, TornTail torn_tail) {
  try {
    return std::make_unique<ReplaySource>(path, torn_tail);
  } catch (const Error& e) {
    throw CaptureFailure(CaptureCode::bad_replay_input, e.what());
  }
}

}  // namespace pktmask

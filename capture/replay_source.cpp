// Replays a capture file (or stdin) through the capture pipeline, record for
// record, as fast as it can be read.
#include <vector>

#include <fmt/format.h>

#include "capture/packet_source.h"
#include "common/capture_reader.h"
#include "common/errors.h"
#include "common/input_stream.h"

namespace pktmask {

namespace {

class ReplaySource : public PacketSource {
 public:
  ReplaySource(const std::string& path, TornTail torn_tail) : in_(path), reader_(in_, torn_tail) {}

  SourceStatus next(SourceRecord& out) override {
    try {
      SourceStatus status = read(out);
      if (status == SourceStatus::end && !warned_) {
        warned_ = true;
        if (auto warning = truncation_warning(in_.name(), statistics().truncation))
          fmt::print(stderr, "{}\n", *warning);
      }
      return status;
    } catch (const Error& e) {
      if (in_.stopped()) return SourceStatus::end;  // the record cut short by a stop was never complete
      throw Error(ExitCode::run_capture_died, e.what());
    }
  }

  std::span<const uint8_t> preamble() const override { return preamble_; }
  const char* extension() const override { return reader_.format() == CaptureFormat::pcap ? "pcap" : "pcapng"; }
  // Only a replay cut short says so; a record cut short by a stop (the
  // stream never ended) is no truncation.
  SourceStatistics statistics() override {
    if (in_.stopped()) return {};
    return {.truncation = reader_.truncation()};
  }
  void set_stall_check(std::function<bool()> keep_waiting) override { in_.set_stall_check(std::move(keep_waiting)); }

 private:
  SourceStatus read(SourceRecord& out) {
    CaptureRecord record;
    while (reader_.next(record)) {
      out.raw = record.raw;
      switch (record.kind) {
        case RecordKind::file_header:
          preamble_.assign(record.raw.begin(), record.raw.end());
          continue;
        case RecordKind::packet:
          out.role = RecordRole::packet;
          out.time_us = record.packet.time_us;
          return SourceStatus::record;
        // Section headers and interface descriptions start every later segment.
        case RecordKind::section_header:
          // A segment holds only part of the section.
          unspecify_section_length(record);
          preamble_.assign(record.raw.begin(), record.raw.end());
          out.role = RecordRole::header;
          return SourceStatus::record;
        case RecordKind::interface_description:
          preamble_.insert(preamble_.end(), record.raw.begin(), record.raw.end());
          out.role = RecordRole::header;
          return SourceStatus::record;
        case RecordKind::decryption_secrets:
        case RecordKind::other:
          out.role = RecordRole::other;
          return SourceStatus::record;
      }
    }
    return SourceStatus::end;
  }

  InputStream in_;
  CaptureReader reader_;
  std::vector<uint8_t> preamble_;
  bool warned_ = false;
};

}  // namespace

std::unique_ptr<PacketSource> open_replay_source(const std::string& path, TornTail torn_tail) {
  try {
    return std::make_unique<ReplaySource>(path, torn_tail);
  } catch (const Error& e) {
    throw Error(ExitCode::start_capture_failed, e.what());
  }
}

}  // namespace pktmask

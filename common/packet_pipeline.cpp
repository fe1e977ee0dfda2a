#include "common/packet_pipeline.h"

#include <new>
#include <type_traits>

#include "common/decode/decoder.h"
#include "common/interrupt.h"

namespace pktmask {

namespace {

// Where the size is known before reading, the fingerprint is too (the first
// MiB is read ahead to hash it): the check runs before the capture reader
// looks at the file, so the wrong capture fails as such.
InputStream& checked_up_front(InputStream& in, const std::function<void(const Fingerprint&)>& check) {
  if (check && in.file_size()) {
    in.ensure(InputStream::kHeadBytes);
    check({*in.file_size(), in.head_hash()});
  }
  return in;
}

}  // namespace

PacketPipeline::PacketPipeline(const CaptureInput& input, PipelineOptions options)
    : in_(input),
      check_source_(std::move(options.check_source)),
      reader_(checked_up_front(in_, check_source_), options.torn_tail),
      tracker_(std::move(options.carried)),
      progress_(options.progress, std::move(options.progress_label), in_.source_size()),
      copy_as_read_(options.copy_as_read) {}

bool PacketPipeline::next() {
  CaptureRecord& record = current_.record;
  if (ended_ || !reader_.next(record)) {
    if (!ended_ && check_source_) check_source_(fingerprint());
    ended_ = true;
    return false;
  }
  if (record.has_packet()) {
    throw_if_interrupted();
    // Decoded in place: initialised from the returned value, the record's
    // DecodedPacket is decode_packet's own result, not a copy of it.
    static_assert(std::is_trivially_destructible_v<DecodedPacket>);
    new (&current_.decoded) DecodedPacket(decode_packet(record.packet.link_type, record.packet.data));
    counters_.count(current_.decoded);
    if (current_.decoded.outcome == DecodeOutcome::tcp) current_.place = tracker_.place(current_.decoded.tcp);
    progress_.update(in_.source_offset(), counters_.packets);
  }
  if (copy_as_read_) copy_as_read();
  return true;
}

bool PacketPipeline::read_through_frame(uint64_t frame) {
  while (frames_read() < frame)
    if (!next()) return false;
  return true;
}

void PacketPipeline::read_to_end() {
  while (next()) {
  }
}

void PacketPipeline::copy_as_read() {
  const CaptureRecord& record = current_.record;
  as_read_bytes_.assign(record.raw.begin(), record.raw.end());
  as_read_ = current_;
  as_read_.record.raw = as_read_bytes_;
  if (record.has_packet())
    as_read_.record.packet.data = as_read_.record.raw.subspan(record.packet_offset(), record.packet.data.size());
}

}  // namespace pktmask

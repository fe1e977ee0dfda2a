#include "masker/masker.h"

#include <algorithm>
#include <chrono>
#include <vector>

#include <fmt/format.h>

#include "common/capture_reader.h"
#include "common/checksum.h"
#include "common/decode/decoder.h"
#include "common/decode_counters.h"
#include "common/errors.h"
#include "common/flow_tracker.h"
#include "common/interrupt.h"
#include "common/output_file.h"
#include "common/progress.h"
#include "masker/rule_index.h"

namespace pktmask {

namespace {

// A test-only fault (tests/fault/): set by the leaky test binary, never by pktmask.
MaskFault g_mask_fault = nullptr;

[[noreturn]] void mismatch(const MaskJob& job, const KeepRuleSet& rules, const Fingerprint& actual) {
  throw Error(ExitCode::bad_rules,
              fmt::format("{}: keep rules were made from another capture ({}; rules expect {} of {})",
                          job.input.shown(), to_string(actual), to_string(rules.source), rules.source_path));
}

// Masks one segment, then repairs every checksum over it that verified
// before: the TCP checksum, then tunnel checksums from the inside out.
void mask_segment(std::span<uint8_t> data, const DecodedPacket& decoded, std::span<const KeptRange> kept,
                  uint64_t payload_start, MaskCounters& counters) {
  const TcpSegment& segment = decoded.tcp;
  bool tcp_ok = tcp_checksum_ok(data, segment);
  bool outer_ok[kMaxOuterChecksums] = {};
  for (size_t i = 0; i < decoded.outer_count; ++i) outer_ok[i] = checksum_ok(data, decoded.outer[i]);
  std::span<uint8_t> payload = data.subspan(segment.payload_offset, segment.payload_captured);
  MaskResult result = mask_payload(kept, payload_start, payload);
  if (g_mask_fault) g_mask_fault(payload);
  counters.tcp_payload_bytes_kept += result.kept;
  counters.tcp_payload_bytes_masked += result.masked;
  if (result.masked == 0) return;
  if (tcp_ok) tcp_checksum_update(data, segment);
  ++(tcp_ok ? counters.checksums_fixed : counters.checksums_left_unverified);
  for (size_t i = decoded.outer_count; i-- > 0;) {
    if (outer_ok[i]) checksum_update(data, decoded.outer[i]);
    ++(outer_ok[i] ? counters.outer_checksums_fixed : counters.outer_checksums_left_unverified);
  }
}

// The record as read, for the self-check: the masker edits packets in place.
CaptureRecord copy_record(const CaptureRecord& record, std::vector<uint8_t>& storage) {
  storage.assign(record.raw.begin(), record.raw.end());
  CaptureRecord copy = record;
  copy.raw = storage;
  if (record.has_packet())
    copy.packet.data =
        copy.raw.subspan(static_cast<size_t>(record.packet.data.data() - record.raw.data()), record.packet.data.size());
  return copy;
}

}  // namespace

void set_mask_fault(MaskFault fault) { g_mask_fault = fault; }

MaskStats mask_capture(const MaskJob& job, const KeepRuleSet& rules) {
  auto start = std::chrono::steady_clock::now();
  InputStream in(job.input);
  if (in.file_size()) {  // a regular file can be checked before any work; a pipe only at its end
    in.ensure(InputStream::kHeadBytes);
    Fingerprint actual{*in.file_size(), in.head_hash()};
    if (!(actual == rules.source)) mismatch(job, rules, actual);
  }
  CaptureReader reader(in, job.torn_tail);
  RuleIndex index(rules);
  OutputFile out(job.output);
  FlowTracker tracker(rules.carried_directions);
  DecodeCounters decode;
  MaskCounters counters;
  Progress progress(job.progress, "mask", in.source_size());
  CaptureRecord record;
  CaptureRecord original;
  std::vector<uint8_t> original_bytes;
  uint64_t secrets_removed = 0;
  while (reader.next(record)) {
    if (record.kind == RecordKind::decryption_secrets) {
      ++secrets_removed;
      continue;
    }
    if (job.check) original = copy_record(record, original_bytes);
    if (record.kind == RecordKind::section_header) unspecify_section_length(record);
    if (record.has_packet()) {
      Packet& packet = record.packet;
      DecodedPacket decoded = decode_packet(packet.link_type, packet.data);
      decode.count(decoded);
      if (decoded.outcome == DecodeOutcome::tcp) {
        SegmentPlace place = tracker.place(decoded.tcp);
        if (decoded.tcp.payload_captured > 0) {
          const DirectionState& direction = tracker.directions()[place.direction];
          mask_segment(packet.data, decoded, index.find(direction.key, direction.generation), place.payload_start,
                       counters);
        }
      }
      progress.update(in.source_offset(), decode.packets);
      throw_if_interrupted();
    }
    if (job.check) job.check->record(original, record.raw, reader.frames_read());
    out.write(record.raw);
  }
  Fingerprint seen{in.bytes_seen(), in.head_hash()};
  if (!(seen == rules.source)) mismatch(job, rules, seen);
  if (job.check) job.check->before_publish();
  out.commit();

  return {.decode = decode,
          .payload = counters,
          .secrets_blocks_removed = secrets_removed,
          .bytes_written = out.bytes_written(),
          .truncation = reader.truncation(),
          .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

}  // namespace pktmask

#include "masker/masker.h"

#include <chrono>

#include <fmt/format.h>

#include "common/checksum.h"
#include "common/errors.h"
#include "common/output_file.h"
#include "common/packet_pipeline.h"
#include "masker/pcapng_scrub.h"
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

}  // namespace

void set_mask_fault(MaskFault fault) { g_mask_fault = fault; }

MaskStats mask_capture(const MaskJob& job, const KeepRuleSet& rules) {
  auto start = std::chrono::steady_clock::now();
  check_rules_policy(rules, job.policy, job.input.shown());
  PacketPipeline pipeline(job.input, {.torn_tail = job.torn_tail,
                                      .carried = rules.carried_directions,
                                      .progress = job.progress,
                                      .progress_label = "mask",
                                      .copy_as_read = job.check != nullptr,
                                      .check_source = [&](const Fingerprint& seen) {
                                        if (!(seen == rules.source)) mismatch(job, rules, seen);
                                      }});
  RuleIndex index(rules);
  OutputFile out(job.output);
  MaskCounters counters;
  PcapngScrub scrub(job.policy);
  while (pipeline.next()) {
    DecodedRecord& read = pipeline.current();
    CaptureRecord& record = read.record;
    // Blocks are removed and resized: no section's length is known in advance.
    if (record.kind == RecordKind::section_header) unspecify_section_length(record);
    if (read.tcp() && read.segment().payload_captured > 0) {
      const DirectionState& direction = pipeline.tracker().directions()[read.place.direction];
      mask_segment(record.packet.data, read.decoded, index.find(direction.key, direction.generation),
                   read.place.payload_start, counters);
    }
    std::span<const uint8_t> written = scrub.rewrite(record);
    if (job.check) job.check->record(pipeline.as_read(), written, pipeline.frames_read());
    out.write(written);
  }
  if (job.check) job.check->before_publish();
  out.commit();

  return {.decode = pipeline.counters(),
          .payload = counters,
          .metadata = scrub.counters(),
          .bytes_written = out.bytes_written(),
          .truncation = pipeline.truncation(),
          .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

}  // namespace pktmask

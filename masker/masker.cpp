#include "masker/masker.h"

#include <chrono>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/output_file.h"
#include "common/packet_pipeline.h"
#include "masker/packet_mask.h"
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

}  // namespace

void set_mask_fault(MaskFault fault) { g_mask_fault = fault; }

MaskStats mask_capture(const MaskJob& job, const KeepRuleSet& rules) {
  auto start = std::chrono::steady_clock::now();
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
  PacketMasker masker(job.policy, counters, g_mask_fault);
  uint64_t secrets_removed = 0;
  while (pipeline.next()) {
    DecodedRecord& read = pipeline.current();
    CaptureRecord& record = read.record;
    if (record.kind == RecordKind::decryption_secrets) {
      ++secrets_removed;
      continue;
    }
    if (record.kind == RecordKind::section_header) unspecify_section_length(record);
    if (record.has_packet()) {
      TcpKeep tcp;
      if (read.tcp() && read.segment().payload_captured > 0) {
        const DirectionState& direction = pipeline.tracker().directions()[read.place.direction];
        tcp = {index.find(direction.key, direction.generation), read.place.payload_start};
      }
      masker.mask(record.packet.data, read.decoded, tcp);
    }
    if (job.check) job.check->record(pipeline.as_read(), record.raw, pipeline.frames_read());
    out.write(record.raw);
  }
  if (job.check) job.check->before_publish();
  out.commit();

  return {.decode = pipeline.counters(),
          .payload = counters,
          .secrets_blocks_removed = secrets_removed,
          .bytes_written = out.bytes_written(),
          .truncation = pipeline.truncation(),
          .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

}  // namespace pktmask

#include "masker/masker.h"

#include <chrono>
#include <optional>

#include <fmt/format.h>

#include "common/errors.h"
#include "common/output_file.h"
#include "common/packet_pipeline.h"
#include "masker/packet_annotation.h"
#include "masker/packet_mask.h"
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

// A classic pcap record has nowhere to hold a comment: refused rather than
// an output that silently lacks what was asked for.
[[noreturn]] void refuse_annotate(const MaskJob& job) {
  throw Error(ExitCode::usage,
              fmt::format("{}: --annotate needs a pcapng capture (pcap records hold no comments)", job.input.shown()));
}

// The run's address mapping, or none when it anonymizes nothing.
std::optional<AddressAnonymizer> make_anonymizer(const AnonSetup& anon) {
  if (!anon.settings.any()) return std::nullopt;
  if (!anon.key) throw Error(ExitCode::internal, "address anonymization without a key");
  return AddressAnonymizer(*anon.key, anon.settings);
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
  std::optional<OutputFile> out;
  if (!job.output.empty()) out.emplace(job.output);
  uint64_t bytes_out = 0;
  MaskCounters counters;
  PcapngScrub scrub(job.policy, job.anon);
  std::optional<AddressAnonymizer> anonymizer = make_anonymizer(job.anon);
  PacketMasker masker(job.policy, counters, g_mask_fault, anonymizer ? &*anonymizer : nullptr);
  while (pipeline.next()) {
    DecodedRecord& read = pipeline.current();
    CaptureRecord& record = read.record;
    // Blocks are removed and resized: no section's length is known in advance.
    if (record.kind == RecordKind::section_header) unspecify_section_length(record);
    if (job.policy.annotate && record.format != CaptureFormat::pcapng) refuse_annotate(job);
    std::string comment;
    const DirectionState* direction = read.tcp() ? &pipeline.tracker().directions()[read.place.direction] : nullptr;
    if (record.has_packet()) {
      TcpKeep tcp;
      if (direction && read.segment().payload_captured > 0)
        tcp = {index.find(direction->key, direction->generation), read.place.payload_start};
      masker.mask(record.packet.data, read.decoded, tcp);
      if (job.policy.annotate) comment = packet_annotation(masker.zeroed());
    }
    std::span<const uint8_t> written = scrub.rewrite(record, comment);
    if (job.check) job.check->record(pipeline.as_read(), written, pipeline.frames_read());
    if (job.observer)
      job.observer->record({.record = read,
                            .written = written,
                            .zeroed = record.has_packet() ? &masker.zeroed() : nullptr,
                            .direction = direction,
                            .frame = pipeline.frames_read()});
    if (out) out->write(written);
    bytes_out += written.size();
  }
  if (job.check) job.check->before_publish();
  if (out) out->commit();

  return {.decode = pipeline.counters(),
          .payload = counters,
          .metadata = scrub.counters(),
          .anon = masker.anon_counters(),
          .bytes_written = bytes_out,
          .truncation = pipeline.truncation(),
          .seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

}  // namespace pktmask

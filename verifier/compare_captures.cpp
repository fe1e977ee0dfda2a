#include "verifier/compare_captures.h"

#include <fmt/format.h>

#include "common/capture_reader.h"
#include "common/input_stream.h"
#include "common/packet_pipeline.h"
#include "verifier/record_comparison.h"

namespace pktmask::verify {

namespace {

Place place_of(const CaptureRecord& record, uint64_t frame) {
  return record.has_packet() ? Place::packet(frame) : Place::record(record.offset);
}

// Decryption Secrets Blocks of the original have no counterpart in the
// sanitized file; one found there is a leak of keys.
bool next_paired(PacketPipeline& original) {
  while (original.next())
    if (original.current().record.kind != RecordKind::decryption_secrets) return true;
  return false;
}

bool next_sanitized(CaptureReader& reader, CaptureRecord& record, Findings& findings) {
  if (!reader.next(record)) return false;
  if (record.kind == RecordKind::decryption_secrets)
    findings.add(Problem::structural, 1, Place::record(record.offset),
                 "a Decryption Secrets Block (TLS keys) is left in the sanitized file");
  return true;
}

}  // namespace

void compare_captures(const CaptureInput& original, const CaptureInput& sanitized,
                      const std::vector<KeptRanges>& policy, const PolicySettings& settings, TornTail torn_tail,
                      Findings& findings, const FrameHook& hook) {
  PacketPipeline original_reading(original, {.torn_tail = torn_tail});
  InputStream sanitized_in(sanitized);
  CaptureReader sanitized_reader(sanitized_in);
  RecordComparison comparison(pointers_to(policy), settings, findings, hook);
  CaptureRecord now;
  bool has_was = next_paired(original_reading);
  bool has_now = next_sanitized(sanitized_reader, now, findings);
  for (; has_was && has_now;
       has_was = next_paired(original_reading), has_now = next_sanitized(sanitized_reader, now, findings)) {
    const CaptureRecord& was = original_reading.current().record;
    if (was.raw.size() != now.raw.size() || was.has_packet() != now.has_packet()) {
      findings.add(Problem::structural, 1, place_of(was, original_reading.frames_read()),
                   fmt::format("record is {} bytes in the original, {} in the sanitized file: the layouts diverge "
                               "here, so the comparison stops",
                               was.raw.size(), now.raw.size()));
      break;
    }
    comparison.compare(original_reading.current(), now.raw, original_reading.frames_read());
  }
  // Both files are still read to their end, so either one's corruption is reported.
  original_reading.read_to_end();
  while (has_now) has_now = next_sanitized(sanitized_reader, now, findings);
  findings.packets = original_reading.packets_read();
  findings.original_truncation = original_reading.truncation();
  if (original_reading.packets_read() != sanitized_reader.packets_read())
    findings.add(Problem::structural, 1, Place::file(),
                 fmt::format("the original has {} packets, the sanitized file {}", original_reading.packets_read(),
                             sanitized_reader.packets_read()));
}

}  // namespace pktmask::verify

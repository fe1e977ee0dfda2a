#include "verifier/compare_captures.h"

#include <tuple>
#include <utility>

#include <fmt/format.h>

#include "common/capture_reader.h"
#include "common/input_stream.h"
#include "common/packet_pipeline.h"
#include "verifier/metadata_rules.h"
#include "verifier/record_comparison.h"

namespace pktmask::verify {

namespace {

Place place_of(const CaptureRecord& record, uint64_t frame) {
  return record.has_packet() ? Place::packet(frame) : Place::record(record.offset);
}

// Packets are paired, and the blocks the policy lets stay: the others of
// the original have no counterpart in the sanitized file.
bool next_paired(PacketPipeline& original, MetadataMode metadata) {
  while (original.next()) {
    const CaptureRecord& record = original.current().record;
    if (record.format == CaptureFormat::pcap || block_allowed(record.block_type, metadata)) return true;
  }
  return false;
}

// A block the policy removes, found in the sanitized file, is reported and
// passed over, so the pairing goes on.
bool next_sanitized(CaptureReader& reader, CaptureRecord& record, MetadataMode metadata, Findings& findings) {
  while (reader.next(record)) {
    if (record.format == CaptureFormat::pcap || block_allowed(record.block_type, metadata)) return true;
    findings.add_leak(ByteClass::metadata, 1, Place::record(record.offset),
                      fmt::format("{} is left in the sanitized file", block_name(record.block_type)));
  }
  return false;
}

bool same_layout(const CaptureRecord& was, const CaptureRecord& now) {
  if (was.has_packet() != now.has_packet()) return false;
  if (was.format == CaptureFormat::pcapng) return was.block_type == now.block_type;
  return was.raw.size() == now.raw.size();
}

}  // namespace

void compare_captures(const CaptureInput& original, const CaptureInput& sanitized,
                      const std::vector<KeptRanges>& policy, const PolicySettings& settings, TornTail torn_tail,
                      Findings& findings, const FrameHook& hook, std::optional<AddressJudge> addresses) {
  PacketPipeline original_reading(original, {.torn_tail = torn_tail});
  InputStream sanitized_in(sanitized);
  CaptureReader sanitized_reader(sanitized_in);
  const MetadataMode metadata = settings.metadata;
  RecordComparison comparison(pointers_to(policy), settings, findings, hook, std::move(addresses));
  CaptureRecord now;
  auto next_pair = [&] {
    bool has_was = next_paired(original_reading, metadata);
    bool has_now = next_sanitized(sanitized_reader, now, metadata, findings);
    return std::pair{has_was, has_now};
  };
  auto [has_was, has_now] = next_pair();
  for (; has_was && has_now; std::tie(has_was, has_now) = next_pair()) {
    const CaptureRecord& was = original_reading.current().record;
    if (!same_layout(was, now)) {
      findings.add(Problem::structural, 1, place_of(was, original_reading.frames_read()),
                   fmt::format("record is {} bytes of type {:#x} in the original, {} bytes of type {:#x} in the "
                               "sanitized file: the layouts diverge here, so the comparison stops",
                               was.raw.size(), was.block_type, now.raw.size(), now.block_type));
      break;
    }
    comparison.compare(original_reading.current(), now.raw, original_reading.frames_read());
  }
  // Both files are still read to their end, so either one's corruption is reported.
  original_reading.read_to_end();
  while (has_now) has_now = next_sanitized(sanitized_reader, now, metadata, findings);
  findings.packets = original_reading.packets_read();
  findings.original_truncation = original_reading.truncation();
  if (original_reading.packets_read() != sanitized_reader.packets_read())
    findings.add(Problem::structural, 1, Place::file(),
                 fmt::format("the original has {} packets, the sanitized file {}", original_reading.packets_read(),
                             sanitized_reader.packets_read()));
}

}  // namespace pktmask::verify

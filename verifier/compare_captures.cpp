#include "compare_captures.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "byte_reader.h"
#include "capture_reader.h"
#include "checksum.h"
#include "decode/decoder.h"
#include "flow_tracker.h"
#include "input_stream.h"
#include "interrupt.h"

namespace pktmask::verify {

namespace {

std::string endpoint(uint8_t family, const std::array<uint8_t, 16>& address, uint16_t port) {
  std::string text = address_to_string(family, address);
  return family == 6 ? fmt::format("[{}]:{}", text, port) : fmt::format("{}:{}", text, port);
}

std::string direction_name(const FlowKey& key) {
  return fmt::format("{} > {}", endpoint(key.family, key.src, key.sport), endpoint(key.family, key.dst, key.dport));
}

// The first index in [start, end) where the two differ, or `end`.
size_t first_difference(std::span<const uint8_t> a, std::span<const uint8_t> b, size_t start, size_t end) {
  auto where = std::mismatch(a.begin() + static_cast<ptrdiff_t>(start), a.begin() + static_cast<ptrdiff_t>(end),
                             b.begin() + static_cast<ptrdiff_t>(start));
  return static_cast<size_t>(where.first - a.begin());
}

// Packet bytes judged by rules of their own rather than by equality.
struct Hole {
  size_t start;
  size_t end;
};

struct PayloadTally {
  uint64_t kept = 0;
  uint64_t masked = 0;
  uint64_t leaked = 0;
  uint64_t lost = 0;
  size_t first_leaked = 0;  // payload offsets, valid when the count is non-zero
  size_t first_lost = 0;
};

PayloadTally judge_payload(const KeptRanges& policy, uint64_t seq, std::span<const uint8_t> original,
                           std::span<const uint8_t> sanitized) {
  PayloadTally tally;
  policy.for_each_stretch(seq, seq + original.size(), [&](uint64_t first, uint64_t last, Verdict verdict) {
    for (size_t i = first - seq; i < last - seq; ++i) {
      bool same = sanitized[i] == original[i];
      bool zero = sanitized[i] == 0;
      bool allowed = verdict == Verdict::kept ? same : verdict == Verdict::masked ? zero : same || zero;
      if (!allowed) {
        bool lost = verdict == Verdict::kept;
        if ((lost ? tally.lost : tally.leaked)++ == 0) (lost ? tally.first_lost : tally.first_leaked) = i;
      } else if (verdict == Verdict::kept || (verdict == Verdict::either && !zero)) {
        ++tally.kept;
      } else {
        ++tally.masked;
      }
    }
  });
  return tally;
}

class Comparison {
 public:
  Comparison(const std::vector<KeptRanges>& policy, Findings& findings, const FrameHook& hook)
      : policy_(policy), findings_(findings), hook_(hook) {}

  // Two records of the same length and kind.
  void compare(const CaptureRecord& original, const CaptureRecord& sanitized, uint64_t frame);

 private:
  void compare_packet(uint32_t link_type, std::span<const uint8_t> original, std::span<const uint8_t> sanitized);
  void compare_tcp(const DecodedPacket& decoded, std::span<const uint8_t> original, std::span<const uint8_t> sanitized);
  void check_checksum(const ChecksumSpan& span, const char* name, std::span<const uint8_t> original,
                      std::span<const uint8_t> sanitized);
  void judge(const TcpSegment& tcp, std::span<const uint8_t> original, std::span<const uint8_t> sanitized);
  // A record counts once however many of its bytes differ; the first reason is listed.
  void structural(std::string what);

  const std::vector<KeptRanges>& policy_;
  Findings& findings_;
  const FrameHook& hook_;
  FlowTracker tracker_;
  std::vector<bool> leaked_directions_;
  Place where_;
  bool reported_ = false;
  bool direction_leaked_ = false;
};

void Comparison::structural(std::string what) {
  if (reported_) return;
  reported_ = true;
  findings_.add(Problem::structural, 1, where_, std::move(what));
}

void Comparison::compare(const CaptureRecord& original, const CaptureRecord& sanitized, uint64_t frame) {
  reported_ = false;
  if (!original.has_packet) {
    where_ = Place::record(original.offset);
    size_t at = first_difference(original.raw, sanitized.raw, 0, original.raw.size());
    if (at < original.raw.size()) structural(fmt::format("differs at byte {} of the record", at));
    return;
  }
  where_ = Place::packet(frame);
  const Packet& packet = original.packet;
  size_t data_start = static_cast<size_t>(packet.data.data() - original.raw.data());
  size_t data_end = data_start + packet.data.size();
  size_t at = first_difference(original.raw, sanitized.raw, 0, data_start);
  if (at == data_start) at = first_difference(original.raw, sanitized.raw, data_end, original.raw.size());
  if (at < original.raw.size())
    structural(fmt::format("record header differs at byte {} (timestamp, lengths or options)", at));
  direction_leaked_ = false;
  compare_packet(packet.link_type, packet.data, sanitized.raw.subspan(data_start, packet.data.size()));
  if (hook_) hook_(frame, direction_leaked_);
}

void Comparison::compare_packet(uint32_t link_type, std::span<const uint8_t> original,
                                std::span<const uint8_t> sanitized) {
  DecodedPacket decoded = decode_packet(link_type, original);
  if (decoded.outcome == DecodeOutcome::tcp) {
    compare_tcp(decoded, original, sanitized);
    return;
  }
  size_t at = first_difference(original, sanitized, 0, original.size());
  if (at < original.size())
    structural(fmt::format("byte {} differs ({:02x} in the original, {:02x} sanitized) in a packet that must stay "
                           "identical (decoded as {})",
                           at, original[at], sanitized[at], to_string(decoded.outcome)));
}

void Comparison::compare_tcp(const DecodedPacket& decoded, std::span<const uint8_t> original,
                             std::span<const uint8_t> sanitized) {
  const TcpSegment& tcp = decoded.tcp;
  const ChecksumSpan tcp_span = tcp_checksum_span(tcp);
  std::array<Hole, 2 + kMaxOuterChecksums> holes;
  size_t hole_count = 0;
  holes[hole_count++] = {tcp.payload_offset, tcp.payload_offset + tcp.payload_captured};
  holes[hole_count++] = {tcp_span.field_offset, tcp_span.field_offset + 2};
  for (size_t i = 0; i < decoded.outer_count; ++i)
    holes[hole_count++] = {decoded.outer[i].field_offset, decoded.outer[i].field_offset + 2};
  std::sort(holes.begin(), holes.begin() + static_cast<ptrdiff_t>(hole_count),
            [](const Hole& a, const Hole& b) { return a.start < b.start; });
  size_t at = 0;
  for (size_t i = 0; i <= hole_count; ++i) {
    size_t until = i < hole_count ? std::min(holes[i].start, original.size()) : original.size();
    size_t differs = at < until ? first_difference(original, sanitized, at, until) : until;
    if (differs < until) {
      structural(fmt::format("byte {} differs ({:02x} in the original, {:02x} sanitized) outside the TCP payload",
                             differs, original[differs], sanitized[differs]));
      break;
    }
    if (i < hole_count) at = std::max(at, holes[i].end);
  }
  check_checksum(tcp_span, "TCP", original, sanitized);
  for (size_t i = 0; i < decoded.outer_count; ++i) check_checksum(decoded.outer[i], "outer UDP/GRE", original, sanitized);
  judge(tcp, original, sanitized);
}

// Wherever a checksum verified in the original it must verify in the output;
// where it did not, it may be left as it was or fixed.
void Comparison::check_checksum(const ChecksumSpan& span, const char* name, std::span<const uint8_t> original,
                                std::span<const uint8_t> sanitized) {
  bool verified = checksum_ok(original, span);
  if (checksum_ok(sanitized, span)) return;
  if (verified) {
    structural(fmt::format("{} checksum verified in the original but not in the sanitized file", name));
    return;
  }
  ByteReader was(original), now(sanitized);
  if (was.be16(span.field_offset) != now.be16(span.field_offset))
    structural(fmt::format("{} checksum changed, and does not verify", name));
}

void Comparison::judge(const TcpSegment& tcp, std::span<const uint8_t> original, std::span<const uint8_t> sanitized) {
  static const KeptRanges kNothingKept;
  SegmentPlace place = tracker_.place(tcp);
  if (leaked_directions_.size() <= place.direction) leaked_directions_.resize(place.direction + 1);
  if (tcp.payload_captured > 0) {
    const KeptRanges& policy = place.direction < policy_.size() ? policy_[place.direction] : kNothingKept;
    PayloadTally tally = judge_payload(policy, place.payload_start, original.subspan(tcp.payload_offset, tcp.payload_captured),
                                       sanitized.subspan(tcp.payload_offset, tcp.payload_captured));
    findings_.payload_bytes_kept += tally.kept;
    findings_.payload_bytes_masked += tally.masked;
    if (tally.leaked > 0) {
      leaked_directions_[place.direction] = true;
      findings_.add(Problem::leaked, tally.leaked, where_,
                    fmt::format("{} leaked byte(s) that must be zero, the first at payload offset {} ({})", tally.leaked,
                                tally.first_leaked, direction_name(tcp.key)));
    }
    if (tally.lost > 0)
      findings_.add(Problem::lost, tally.lost, where_,
                    fmt::format("{} lost byte(s) that must equal the original, the first at payload offset {} ({})",
                                tally.lost, tally.first_lost, direction_name(tcp.key)));
  }
  direction_leaked_ = leaked_directions_[place.direction];
}

Place place_of(const CaptureRecord& record, uint64_t frame) {
  return record.has_packet ? Place::packet(frame) : Place::record(record.offset);
}

}  // namespace

void compare_captures(const std::string& original, const std::string& sanitized, const std::vector<KeptRanges>& policy,
                      TornTail torn_tail, Findings& findings, const FrameHook& hook) {
  InputStream original_in(original);
  InputStream sanitized_in(sanitized);
  CaptureReader original_reader(original_in, torn_tail);
  CaptureReader sanitized_reader(sanitized_in);
  Comparison comparison(policy, findings, hook);
  CaptureRecord was, now;
  bool has_was = original_reader.next(was);
  bool has_now = sanitized_reader.next(now);
  for (; has_was && has_now; has_was = original_reader.next(was), has_now = sanitized_reader.next(now)) {
    throw_if_interrupted();
    if (was.raw.size() != now.raw.size() || was.has_packet != now.has_packet) {
      findings.add(Problem::structural, 1, place_of(was, original_reader.frames_read()),
                   fmt::format("record is {} bytes in the original, {} in the sanitized file: the layouts diverge "
                               "here, so the comparison stops",
                               was.raw.size(), now.raw.size()));
      break;
    }
    comparison.compare(was, now, original_reader.frames_read());
  }
  // Both files are still read to their end, so either one's corruption is reported.
  while (has_was) has_was = original_reader.next(was);
  while (has_now) has_now = sanitized_reader.next(now);
  findings.packets = original_reader.packets_read();
  findings.original_truncation = original_reader.truncation();
  if (original_reader.packets_read() != sanitized_reader.packets_read())
    findings.add(Problem::structural, 1, Place::file(),
                 fmt::format("the original has {} packets, the sanitized file {}", original_reader.packets_read(),
                             sanitized_reader.packets_read()));
  else if (original_in.offset() != sanitized_in.offset())
    findings.add(Problem::structural, 1, Place::file(),
                 fmt::format("the original is {} bytes long, the sanitized file {}", original_in.offset(),
                             sanitized_in.offset()));
}

}  // namespace pktmask::verify

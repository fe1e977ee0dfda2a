#include "verifier/record_comparison.h"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "common/byte_reader.h"
#include "common/checksum.h"
#include "verifier/metadata_rules.h"

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

struct PayloadTally {
  uint64_t kept = 0;
  uint64_t masked = 0;
  uint64_t leaked = 0;
  uint64_t lost = 0;
  size_t first_leaked = 0;  // payload offsets, valid when the count is non-zero
  size_t first_lost = 0;
};

// True when every byte of the stretch meets its verdict: the common case,
// checked a word at a time before any byte is looked at one by one.
bool stretch_clean(Verdict verdict, std::span<const uint8_t> original, std::span<const uint8_t> sanitized) {
  if (verdict == Verdict::kept) return std::equal(original.begin(), original.end(), sanitized.begin());
  if (verdict == Verdict::masked)
    return std::all_of(sanitized.begin(), sanitized.end(), [](uint8_t b) { return b == 0; });
  return false;
}

// Adds the bytes [begin, begin + count) of one stretch to the tally.
void tally_stretch(Verdict verdict, std::span<const uint8_t> original, std::span<const uint8_t> sanitized, size_t begin,
                   size_t count, PayloadTally& tally) {
  if (stretch_clean(verdict, original.subspan(begin, count), sanitized.subspan(begin, count))) {
    (verdict == Verdict::kept ? tally.kept : tally.masked) += count;
    return;
  }
  for (size_t i = begin; i < begin + count; ++i) {
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
}

PayloadTally judge_payload(const KeptRanges& policy, uint64_t seq, std::span<const uint8_t> original,
                           std::span<const uint8_t> sanitized) {
  PayloadTally tally;
  policy.for_each_stretch(seq, seq + original.size(), [&](uint64_t first, uint64_t last, Verdict verdict) {
    tally_stretch(verdict, original, sanitized, first - seq, last - first, tally);
  });
  return tally;
}

ByteClass class_of(PayloadKind kind) {
  switch (kind) {
    case PayloadKind::udp:
      return ByteClass::udp;
    case PayloadKind::icmp:
      return ByteClass::icmp;
    case PayloadKind::fragment:
      return ByteClass::fragment;
    case PayloadKind::esp:
      return ByteClass::esp;
    case PayloadKind::none:
    case PayloadKind::tcp:
      break;
  }
  return ByteClass::tcp;
}

}  // namespace

RecordComparison::RecordComparison(std::vector<const KeptRanges*> policy, const PolicySettings& settings,
                                   Findings& findings, FrameHook hook, std::optional<AddressJudge> addresses)
    : policy_(std::move(policy)),
      settings_(settings),
      udp_(settings),
      findings_(findings),
      hook_(std::move(hook)),
      addresses_(std::move(addresses)) {}

void RecordComparison::structural(std::string what) {
  if (reported_) return;
  reported_ = true;
  findings_.add(Problem::structural, 1, where_, std::move(what));
}

void RecordComparison::compare(const DecodedRecord& read, std::span<const uint8_t> sanitized, uint64_t frame) {
  const CaptureRecord& original = read.record;
  reported_ = false;
  where_ = original.has_packet() ? Place::packet(frame) : Place::record(original.offset);
  const Packet& packet = original.packet;
  size_t data_start = original.has_packet() ? original.packet_offset() : original.raw.size();
  size_t data_end = data_start + packet.data.size();
  if (original.format == CaptureFormat::pcapng) {
    if (std::string problem = metadata_problem(original, sanitized, settings_.metadata, settings_.annotate);
        !problem.empty())
      findings_.add_leak(ByteClass::metadata, 1, where_, std::move(problem));
  } else if (sanitized.size() != original.raw.size()) {
    structural(fmt::format("record is {} bytes in the original, {} sanitized", original.raw.size(), sanitized.size()));
  } else {
    size_t at = first_difference(original.raw, sanitized, 0, data_start);
    if (at == data_start) at = first_difference(original.raw, sanitized, data_end, original.raw.size());
    if (at < original.raw.size())
      structural(fmt::format("record header differs at byte {} (timestamp or lengths)", at));
  }
  if (!original.has_packet()) return;
  direction_leaked_ = false;
  if (sanitized.size() >= data_end) compare_packet(read, sanitized.subspan(data_start, packet.data.size()));
  if (hook_) hook_(frame, direction_leaked_);
}

// Masking policy v2, packet by packet: the headers the decoder understood
// stay as they were (but for checksums, which must verify where they did),
// the TCP payload is judged against the verifier's own walk, a UDP payload
// against its own DTLS/QUIC reading, and every other byte is zero (undecoded
// bytes may stay with undecoded=keep). Under tls-only only TCP payloads may
// change.
void RecordComparison::compare_packet(const DecodedRecord& read, std::span<const uint8_t> sanitized) {
  const DecodedPacket& decoded = read.decoded;
  const PacketLayout& layout = decoded.layout;
  std::span<const uint8_t> original = read.record.packet.data;
  const bool tcp = read.tcp();
  const bool v1 = settings_.scope == MaskScope::tcp;
  const size_t size = original.size();
  const size_t header_end = v1 ? size : std::min(layout.header_end, size);
  const ChecksumSpan tcp_span = tcp_checksum_span(decoded.tcp);
  // The checksums judged by check_checksum(), in the order they are judged.
  std::array<ChecksumSpan, 2 + kMaxOuterChecksums> checksums;
  std::array<const char*, 2 + kMaxOuterChecksums> names;
  size_t count = 0;
  auto add = [&](const ChecksumSpan& span, const char* name) {
    checksums[count] = span;
    names[count++] = name;
  };
  if (decoded.has_inner && !v1) add(decoded.inner, "UDP/ICMP");
  for (size_t i = 0; i < decoded.outer_count; ++i) add(decoded.outer[i], "outer UDP/GRE");
  if (tcp) add(tcp_span, "TCP");
  Holes holes;
  if (tcp) holes.add({decoded.tcp.payload_offset, decoded.tcp.payload_offset + decoded.tcp.payload_captured});
  for (size_t i = 0; i < count; ++i) holes.add({checksums[i].field_offset, checksums[i].field_offset + 2});
  if (addresses_) addresses_->add_holes(decoded.addresses, holes);
  compare_headers(original, sanitized, header_end, holes);
  for (size_t i = 0; i < count; ++i) {
    ChecksumSpan now =
        addresses_ ? addresses_->for_output(checksums[i], decoded.addresses, original, sanitized) : checksums[i];
    check_checksum(checksums[i], now, names[i], original, sanitized);
  }
  if (addresses_) judge_addresses(decoded, original, sanitized, header_end, std::span(checksums).first(count));
  if (tcp) judge(decoded.tcp, read.place, original, sanitized);
  if (v1) return;

  const size_t payload_end = std::clamp(layout.payload_end, header_end, size);
  const size_t undecoded_end = std::clamp(layout.undecoded_end, payload_end, size);
  if (layout.payload == PayloadKind::udp) {
    udp_.judge(decoded.tcp.key, original.subspan(header_end, payload_end - header_end), udp_stretches_);
    size_t at = header_end;
    for (const PayloadStretch& stretch : udp_stretches_) {
      judge_bytes(ByteClass::udp, Verdict::masked, original, sanitized, at, header_end + stretch.begin);
      judge_bytes(ByteClass::udp, stretch.verdict, original, sanitized, header_end + stretch.begin,
                  header_end + stretch.end);
      at = header_end + stretch.end;
    }
    judge_bytes(ByteClass::udp, Verdict::masked, original, sanitized, at, payload_end);
  } else if (!tcp) {
    judge_bytes(class_of(layout.payload), Verdict::masked, original, sanitized, header_end, payload_end);
  }
  // Undecoded bytes may hold addresses nobody could rewrite: an anonymizing masker zeroes them.
  bool keep_undecoded = settings_.undecoded == UndecodedMode::keep && !addresses_;
  Verdict undecoded = keep_undecoded ? Verdict::kept : Verdict::masked;
  judge_bytes(ByteClass::undecoded, undecoded, original, sanitized, payload_end, undecoded_end);
  judge_bytes(ByteClass::trailer, Verdict::masked, original, sanitized, undecoded_end, size);
}

void RecordComparison::compare_headers(std::span<const uint8_t> original, std::span<const uint8_t> sanitized,
                                       size_t header_end, const Holes& holes) {
  size_t at = 0;
  for (size_t i = 0; i <= holes.count; ++i) {
    size_t until = i < holes.count ? std::min(holes.list[i].start, header_end) : header_end;
    size_t differs = at < until ? first_difference(original, sanitized, at, until) : until;
    if (differs < until) {
      structural(fmt::format("byte {} differs ({:02x} in the original, {:02x} sanitized) in a header the policy keeps",
                             differs, original[differs], sanitized[differs]));
      return;
    }
    if (i < holes.count) at = std::max(at, holes.list[i].end);
  }
}

// Bytes [begin, end) of the packet outside any TCP payload, judged by one verdict.
void RecordComparison::judge_bytes(ByteClass byte_class, Verdict verdict, std::span<const uint8_t> original,
                                   std::span<const uint8_t> sanitized, size_t begin, size_t end) {
  if (begin >= end) return;
  PayloadTally tally;
  tally_stretch(verdict, original, sanitized, begin, end - begin, tally);
  if (tally.leaked > 0)
    findings_.add_leak(byte_class, tally.leaked, where_,
                       fmt::format("{} leaked {} byte(s) that must be zero, the first at packet byte {}", tally.leaked,
                                   to_string(byte_class), tally.first_leaked));
  if (tally.lost > 0)
    findings_.add(Problem::lost, tally.lost, where_,
                  fmt::format("{} lost {} byte(s) that must equal the original, the first at packet byte {}",
                              tally.lost, to_string(byte_class), tally.first_lost));
}

// Wherever a checksum verified in the original it must verify in the output;
// where it did not, it may be left as it was or fixed (or, with anonymized
// addresses, left off by as much as it was).
void RecordComparison::check_checksum(const ChecksumSpan& span, const ChecksumSpan& output_span, const char* name,
                                      std::span<const uint8_t> original, std::span<const uint8_t> sanitized) {
  bool verified = checksum_ok(original, span);
  if (checksum_ok(sanitized, output_span)) return;
  if (verified) {
    structural(fmt::format("{} checksum verified in the original but not in the sanitized file", name));
    return;
  }
  ByteReader was(original), now(sanitized);
  if (!addresses_ && was.be16(span.field_offset) != now.be16(span.field_offset))
    structural(fmt::format("{} checksum changed, and does not verify", name));
}

void RecordComparison::judge_addresses(const DecodedPacket& decoded, std::span<const uint8_t> original,
                                       std::span<const uint8_t> sanitized, size_t header_end,
                                       std::span<const ChecksumSpan> checksums) {
  if (std::string problem = addresses_->header_problem(decoded, original, sanitized, checksums); !problem.empty())
    structural(std::move(problem));
  // Part of an address cannot be mapped: what the capture holds of it is zeroed.
  if (decoded.addresses.cut)
    judge_bytes(ByteClass::address, Verdict::masked, original, sanitized, decoded.addresses.cut_offset, header_end);
  const bool warn = addresses_->kept_payload() == KeptPayloadAddresses::warn;
  for (const AddressHit& hit : addresses_->leftovers(decoded.addresses, sanitized)) {
    std::string what = fmt::format("original address {} left at packet byte {}",
                                   address_text(hit.kind, sanitized.data() + hit.offset), hit.offset);
    if (warn && hit.offset >= header_end)
      findings_.note_kept_address(where_, what + " (in kept payload)");
    else
      findings_.add_leak(ByteClass::address, address_size(hit.kind), where_, std::move(what));
  }
}

void RecordComparison::judge(const TcpSegment& tcp, const SegmentPlace& place, std::span<const uint8_t> original,
                             std::span<const uint8_t> sanitized) {
  static const KeptRanges kNothingKept;
  if (leaked_directions_.size() <= place.direction) leaked_directions_.resize(place.direction + 1);
  if (tcp.payload_captured > 0) {
    const KeptRanges* found = place.direction < policy_.size() ? policy_[place.direction] : nullptr;
    const KeptRanges& policy = found ? *found : kNothingKept;
    PayloadTally tally =
        judge_payload(policy, place.payload_start, original.subspan(tcp.payload_offset, tcp.payload_captured),
                      sanitized.subspan(tcp.payload_offset, tcp.payload_captured));
    findings_.payload_bytes_kept += tally.kept;
    findings_.payload_bytes_masked += tally.masked;
    if (tally.leaked > 0) {
      leaked_directions_[place.direction] = true;
      findings_.add_leak(ByteClass::tcp, tally.leaked, where_,
                         fmt::format("{} leaked byte(s) that must be zero, the first at payload offset {} ({})",
                                     tally.leaked, tally.first_leaked, direction_name(tcp.key)));
    }
    if (tally.lost > 0)
      findings_.add(Problem::lost, tally.lost, where_,
                    fmt::format("{} lost byte(s) that must equal the original, the first at payload offset {} ({})",
                                tally.lost, tally.first_lost, direction_name(tcp.key)));
  }
  direction_leaked_ = leaked_directions_[place.direction];
}

}  // namespace pktmask::verify

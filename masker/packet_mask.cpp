#include "masker/packet_mask.h"

#include <algorithm>
#include <cstring>

#include "common/checksum.h"

namespace pktmask {

namespace {

ByteClass payload_class(PayloadKind kind) {
  switch (kind) {
    case PayloadKind::icmp:
      return ByteClass::icmp;
    case PayloadKind::fragment:
      return ByteClass::fragment;
    case PayloadKind::esp:
      return ByteClass::esp;
    default:
      return ByteClass::udp;
  }
}

}  // namespace

bool PacketZeroed::any() const {
  return tcp > 0 || std::ranges::any_of(bytes, [](uint64_t count) { return count > 0; });
}

PacketMasker::PacketMasker(const PolicySettings& policy, MaskCounters& counters, MaskFault fault,
                           AddressAnonymizer* anonymizer)
    : policy_(policy), counters_(counters), fault_(fault), anonymizer_(anonymizer), walker_(policy) {}

void PacketMasker::judge(ByteClass byte_class, size_t begin, size_t end, bool zero) {
  if (begin >= end) return;
  ByteCounts& counts = counters_.bytes[static_cast<size_t>(byte_class)];
  if (!zero) {
    counts.kept += end - begin;
    return;
  }
  counts.zeroed += end - begin;
  packet_.bytes[static_cast<size_t>(byte_class)] += end - begin;
  zeroed_.push_back({begin, end});
}

void PacketMasker::judge_udp(std::span<const uint8_t> data, const DecodedPacket& decoded) {
  const PacketLayout& layout = decoded.layout;
  udp_kept_.clear();
  walker_.kept(decoded.tcp.key, data.subspan(layout.header_end, layout.payload_end - layout.header_end), udp_kept_);
  size_t at = layout.header_end;
  for (const ByteRange& range : udp_kept_) {
    size_t begin = layout.header_end + range.begin, end = layout.header_end + range.end;
    if (begin < at || end > layout.payload_end) break;  // the walker's promise broken: zero the rest
    judge(ByteClass::udp, at, begin, true);
    judge(ByteClass::udp, begin, end, false);
    at = end;
  }
  judge(ByteClass::udp, at, layout.payload_end, true);
}

bool PacketMasker::zeroes_any_of(const ChecksumSpan& span) const {
  for (const Zeroed& zeroed : zeroed_)
    if (zeroed.begin < span.start + span.length && span.start < zeroed.end) return true;
  return false;
}

void PacketMasker::mask(std::span<uint8_t> data, const DecodedPacket& decoded, const TcpKeep& tcp) {
  mask_bytes(data, decoded, tcp);
  if (anonymizer_) anonymize(data, decoded);
}

// An address cut by snaplen cannot be mapped: it is zeroed (fail closed). No
// checksum over it can be verified, as the capture ends inside it.
void PacketMasker::anonymize(std::span<uint8_t> data, const DecodedPacket& decoded) {
  const AddressLayout& addresses = decoded.addresses;
  if (addresses.cut) std::memset(data.data() + addresses.cut_offset, 0, data.size() - addresses.cut_offset);
  rewrite_addresses(data, addresses, *anonymizer_, anon_counters_);
}

void PacketMasker::mask_bytes(std::span<uint8_t> data, const DecodedPacket& decoded, const TcpKeep& tcp) {
  const PacketLayout& layout = decoded.layout;
  const bool all = policy_.scope == MaskScope::all;
  zeroed_.clear();
  packet_ = {};
  if (layout.payload == PayloadKind::udp && all)
    judge_udp(data, decoded);
  else if (layout.payload != PayloadKind::tcp && layout.payload != PayloadKind::none)
    judge(payload_class(layout.payload), layout.header_end, layout.payload_end, all);
  // Undecoded bytes may hold addresses no one rewrites (a header nested too
  // deep or past the address layout's bounds, an unknown protocol): when
  // anonymizing they are zeroed whatever undecoded= says, and after an
  // address overflow whatever the scope.
  const bool anonymizing = anonymizer_ != nullptr;
  const bool overflowed = anonymizing && decoded.addresses.overflow;
  judge(ByteClass::undecoded, layout.payload_end, layout.undecoded_end,
        (all && (policy_.undecoded == UndecodedMode::zero || anonymizing)) || overflowed);
  judge(ByteClass::trailer, layout.undecoded_end, data.size(), all);
  if (layout.undecoded != UndecodedReason::none) ++counters_.undecoded_packets[static_cast<size_t>(layout.undecoded)];

  const bool tcp_payload = decoded.outcome == DecodeOutcome::tcp && decoded.tcp.payload_captured > 0;
  if (!tcp_payload && zeroed_.empty()) return;
  // Which checksums verify, judged before any byte changes.
  const TcpSegment& segment = decoded.tcp;
  const bool tcp_ok = tcp_payload && tcp_checksum_ok(data, segment);
  const bool inner_changes = decoded.has_inner && zeroes_any_of(decoded.inner);
  const bool inner_ok = inner_changes && checksum_ok(data, decoded.inner);
  bool outer_ok[kMaxOuterChecksums] = {};
  for (size_t i = 0; i < decoded.outer_count; ++i) outer_ok[i] = checksum_ok(data, decoded.outer[i]);

  uint64_t tcp_masked = 0;
  if (tcp_payload) {
    std::span<uint8_t> payload = data.subspan(segment.payload_offset, segment.payload_captured);
    MaskResult result = mask_payload(tcp.ranges, tcp.payload_start, payload);
    if (fault_) fault_(payload);
    counters_.tcp_payload_bytes_kept += result.kept;
    counters_.tcp_payload_bytes_masked += result.masked;
    tcp_masked = result.masked;
    packet_.tcp = tcp_masked;
  }
  for (const Zeroed& zeroed : zeroed_) std::memset(data.data() + zeroed.begin, 0, zeroed.end - zeroed.begin);

  if (tcp_masked > 0) {
    if (tcp_ok) tcp_checksum_update(data, segment);
    ++(tcp_ok ? counters_.checksums_fixed : counters_.checksums_left_unverified);
  }
  if (inner_changes) {
    if (inner_ok) checksum_update(data, decoded.inner);
    ++(inner_ok ? counters_.checksums_fixed : counters_.checksums_left_unverified);
  }
  for (size_t i = decoded.outer_count; i-- > 0;) {
    if (tcp_masked == 0 && !zeroes_any_of(decoded.outer[i])) continue;
    if (outer_ok[i]) checksum_update(data, decoded.outer[i]);
    ++(outer_ok[i] ? counters_.outer_checksums_fixed : counters_.outer_checksums_left_unverified);
  }
}

}  // namespace pktmask

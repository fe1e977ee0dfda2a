#include "expected_mask.h"

#include <algorithm>
#include <map>
#include <span>
#include <stdexcept>
#include <string>

#include "checksum.h"
#include "record_walk.h"

namespace gen_corpus {

namespace {

// Stream offsets the policy keeps: sorted, disjoint [begin, end) ranges.
class kept_ranges {
 public:
  explicit kept_ranges(const std::vector<walked_record>& records) {
    for (const auto& r : records) {
      const uint64_t body = keeps_body(r.type) ? r.length : 0;
      ranges_.emplace_back(r.offset, r.offset + 5 + body);
    }
  }

  void add(uint64_t begin, uint64_t end) { ranges_.emplace_back(begin, end); }

  bool contains(uint64_t offset) const {
    auto it = std::upper_bound(ranges_.begin(), ranges_.end(), offset,
                               [](uint64_t o, const auto& range) { return o < range.first; });
    return it != ranges_.begin() && offset < std::prev(it)->second;
  }

 private:
  std::vector<std::pair<uint64_t, uint64_t>> ranges_;
};

std::span<const uint8_t> captured_payload(const packet& p, const tcp_location& where) {
  if (p.caplen <= where.payload_offset) {
    return {};
  }
  const size_t captured = std::min(where.payload_length, p.caplen - where.payload_offset);
  return std::span(p.frame).subspan(where.payload_offset, captured);
}

// Stream start (masking-policy.md): ISN+1 after a SYN, else the lowest
// offset of a segment that carries payload.
uint64_t stream_start(const std::vector<const tcp_segment_fact*>& facts, bool syn_seen) {
  if (syn_seen) {
    return 0;
  }
  uint64_t lowest = UINT64_MAX;
  for (const auto* f : facts) {
    if (f->where.payload_length > 0) {
      lowest = std::min(lowest, f->stream_offset);
    }
  }
  return lowest;
}

stream_report mask_stream(capture& cap, size_t stream_id, const std::vector<const tcp_segment_fact*>& facts) {
  stream_report report;
  report.stream_id = stream_id;
  report.syn_seen = std::any_of(facts.begin(), facts.end(), [](const auto* f) { return f->syn; });
  report.start = stream_start(facts, report.syn_seen);

  first_copy_view view;
  for (const auto* f : facts) {  // in capture order
    view.add(f->stream_offset, captured_payload(cap.packets()[f->packet_index], f->where));
  }
  const auto records = walk_records(view, report.start);

  const auto& planted = cap.stream(stream_id).header_offsets();
  report.planted_headers = planted.size();
  report.walked_records = records.size();
  report.walk_end = report.start;
  for (const auto& r : records) {
    if (!std::binary_search(planted.begin(), planted.end(), r.offset)) {
      throw std::logic_error("stream " + std::to_string(stream_id) +
                             ": walk found a header the case did not plant at offset " + std::to_string(r.offset));
    }
    report.walk_end = r.offset + 5 + r.length;
  }

  kept_ranges kept(records);
  if (partial_header_consistent(view, report.walk_end)) {
    kept.add(report.walk_end, report.walk_end + 5);
  }
  for (const auto* f : facts) {
    packet& p = cap.packets()[f->packet_index];
    const size_t captured = captured_payload(p, f->where).size();
    for (size_t i = 0; i < captured; ++i) {
      if (!kept.contains(f->stream_offset + i)) {
        p.expected[f->where.payload_offset + i] = 0;
      }
    }
  }
  return report;
}

void fix_checksum(packet& p, const tcp_segment_fact& f) {
  const size_t begin = f.where.tcp_offset;
  const size_t end = begin + f.where.tcp_length;
  if (p.caplen < end) {
    return;  // not fully captured: cannot verify, leave as it is
  }
  const bool verifies = tcp_checksum_verifies(f.where.pseudo_header, std::span(p.frame).subspan(begin, end - begin));
  if (verifies == f.checksum_corrupted) {
    throw std::logic_error("packet " + std::to_string(f.packet_index) + ": TCP checksum " +
                           (verifies ? "verifies although damaged" : "fails although intact"));
  }
  if (!verifies) {
    return;  // the tool may leave it; the corpus expects it left
  }
  const uint16_t sum = tcp_checksum(f.where.pseudo_header, std::span(p.expected).subspan(begin, end - begin));
  p.expected[begin + 16] = static_cast<uint8_t>(sum >> 8);
  p.expected[begin + 17] = static_cast<uint8_t>(sum);
}

uint16_t field_value(const std::vector<uint8_t>& bytes, size_t at) {
  return static_cast<uint16_t>(bytes.at(at) << 8 | bytes.at(at + 1));
}

// A tunnel checksum (outer UDP, GRE C bit) over bytes the masking changed:
// recomputed where it verified in the input, left alone where it did not
// or where an IPv4 UDP checksum is 0 (absent).
void fix_outer_checksum(packet& p, const outer_checksum_fact& f) {
  const outer_checksum_location& c = f.where;
  const size_t begin = c.covered_offset;
  const size_t end = begin + c.covered_length;
  if (p.caplen < end) {
    return;  // not fully captured: cannot verify, leave as it is
  }
  using kind = outer_checksum_location::kind;
  const std::string what = c.what == kind::udp ? "UDP" : c.what == kind::gre ? "GRE" : "ICMP";
  const uint16_t input = field_value(p.frame, c.field_offset);
  if (c.zero_means_absent && input == 0) {
    if (c.corrupted) {
      throw std::logic_error("packet " + std::to_string(f.packet_index) +
                             ": damaged outer UDP checksum reads as absent");
    }
    return;  // no checksum: stays 0
  }
  const auto covered = [&](const std::vector<uint8_t>& bytes) { return std::span(bytes).subspan(begin, end - begin); };
  const bool verifies = internet_checksum_verifies(c.pseudo_header, covered(p.frame));
  if (verifies == c.corrupted) {
    throw std::logic_error("packet " + std::to_string(f.packet_index) + ": outer " + what + " checksum " +
                           (verifies ? "verifies although damaged" : "fails although intact"));
  }
  if (!verifies) {
    return;  // the policy leaves a wrong outer checksum as it was
  }
  uint16_t sum = internet_checksum(c.pseudo_header, covered(p.expected), c.field_offset - begin);
  if (c.what == outer_checksum_location::kind::udp && sum == 0) {
    sum = 0xffff;  // RFC 768: a computed 0 is sent as all ones
  }
  // Where masking changed nothing it covers, the builder's value must come
  // out again: the two computations agree.
  auto unchanged = [&] {
    for (size_t i = begin; i < end; ++i) {
      if ((i < c.field_offset || i > c.field_offset + 1) && p.frame[i] != p.expected[i]) {
        return false;
      }
    }
    return true;
  };
  if (unchanged() && sum != input) {
    throw std::logic_error("packet " + std::to_string(f.packet_index) + ": outer " + what +
                           " checksum recomputed differently over unchanged bytes");
  }
  p.expected[c.field_offset] = static_cast<uint8_t>(sum >> 8);
  p.expected[c.field_offset + 1] = static_cast<uint8_t>(sum);
}

}  // namespace

std::vector<stream_report> compute_expected(capture& cap) {
  for (auto& p : cap.packets()) {
    p.expected = p.frame;
    for (const auto& [begin, end] : p.zeroed) {
      std::fill(p.expected.begin() + static_cast<std::ptrdiff_t>(begin),
                p.expected.begin() + static_cast<std::ptrdiff_t>(end), uint8_t{0});
    }
  }

  std::map<size_t, std::vector<const tcp_segment_fact*>> by_stream;
  std::vector<const tcp_segment_fact*> in_capture_order;
  for (const auto& f : cap.segments()) {
    in_capture_order.push_back(&f);
  }
  std::stable_sort(in_capture_order.begin(), in_capture_order.end(),
                   [](const auto* a, const auto* b) { return a->packet_index < b->packet_index; });
  for (const auto* f : in_capture_order) {
    by_stream[f->stream_id].push_back(f);
  }

  std::vector<stream_report> reports;
  for (const auto& [stream_id, facts] : by_stream) {
    reports.push_back(mask_stream(cap, stream_id, facts));
  }
  for (const auto& f : cap.segments()) {
    fix_checksum(cap.packets()[f.packet_index], f);
  }
  // After the TCP checksums they cover; innermost first.
  for (const auto& f : cap.outer_checksums()) {
    fix_outer_checksum(cap.packets()[f.packet_index], f);
  }
  return reports;
}

}  // namespace gen_corpus

#include "report/connection_table.h"

#include <algorithm>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "common/byte_reader.h"

namespace pktmask::report {

namespace {

constexpr uint8_t kTcpAck = 0x10;
// A UDP flow's first datagrams show whether it is DTLS or QUIC and its
// handshake; later ones would only cost time.
constexpr uint32_t kDatagramsRead = 32;

FlowKey reversed(const FlowKey& key) {
  FlowKey back = key;
  std::swap(back.src, back.dst);
  std::swap(back.sport, back.dport);
  return back;
}

// The walk's stop reason as the report shows it. An implausible header's
// bytes are the input's, which the output zeroes (all that follows a stop),
// so they are left out: the report of an original then agrees with the
// report of its output, and with the tshark engine's reason.
std::string shown_stop_reason(const std::string& reason) {
  constexpr std::string_view kImplausible = "implausible header";
  return reason.starts_with(kImplausible) ? std::string(kImplausible) : reason;
}

bool is_record(const KeepRule& rule) {
  return rule.type != RuleType::tls_body_part && rule.content_type >= 20 && rule.content_type <= 24;
}

std::span<const uint8_t> bytes_at(const MaskedRecord& masked, size_t offset, size_t length) {
  return ByteReader(masked.record.record.packet.data).sub(offset, length).bytes();
}

}  // namespace

ConnectionTable::ConnectionTable(const KeepRuleSet& rules, const AnonSetup& anon) {
  for (const FlowRules& flow : rules.flows) rules_.emplace(DirectionKey{flow.key, flow.generation}, &flow);
  if (anon.settings.any() && anon.key) anonymizer_.emplace(*anon.key, anon.settings);
}

void ConnectionTable::packet(const MaskedRecord& masked, const Count& bytes) {
  if (masked.record.tcp() && masked.direction)
    tcp(masked, bytes);
  else if (masked.record.decoded.layout.payload == PayloadKind::udp)
    udp(masked, bytes);
}

ConnectionTable::Row& ConnectionTable::new_row(Transport transport, const FlowKey& key, const MaskedRecord& masked) {
  Row& row = rows_.emplace_back();
  row.key = key;
  row.connection.id = rows_.size();
  row.connection.transport = transport;
  row.connection.first_packet = masked.record.record.packet.number;
  row.connection.first_time_us = masked.record.record.packet.time_us;
  return row;
}

void ConnectionTable::count(Row& row, const MaskedRecord& masked, const Count& bytes) {
  Connection& connection = row.connection;
  ++connection.packets;
  connection.last_time_us = masked.record.record.packet.time_us;
  connection.bytes.kept += bytes.kept;
  connection.bytes.zeroed += bytes.zeroed;
}

ConnectionTable::Side& ConnectionTable::side_of(const MaskedRecord& masked) {
  uint32_t direction = masked.record.place.direction;
  if (direction >= side_by_direction_.size()) side_by_direction_.resize(direction + 1, -1);
  if (side_by_direction_[direction] >= 0) return sides_[static_cast<size_t>(side_by_direction_[direction])];

  const DirectionState& state = *masked.direction;
  auto index = static_cast<uint32_t>(sides_.size());
  side_by_direction_[direction] = index;
  auto found_rules = rules_.find({state.key, state.generation});
  const FlowRules* rules = found_rules == rules_.end() ? nullptr : found_rules->second;
  // The reverse direction's newest side, if its connection still waits for this one.
  auto reverse = latest_side_.find(reversed(state.key));
  if (reverse != latest_side_.end()) {
    Side& other = sides_[reverse->second];
    Row& row = rows_[other.row];
    auto index_here = static_cast<uint8_t>(1 - other.index);
    if (row.sides[index_here] < 0) {
      row.sides[index_here] = index;
      return add_side(state.key, other.row, index_here, rules);
    }
  }
  Row& row = new_row(Transport::tcp, state.key, masked);
  row.sides[0] = index;
  return add_side(state.key, static_cast<uint32_t>(rows_.size() - 1), 0, rules);
}

ConnectionTable::Side& ConnectionTable::add_side(const FlowKey& key, uint32_t row, uint8_t index,
                                                 const FlowRules* rules) {
  latest_side_[key] = static_cast<uint32_t>(sides_.size());
  Side& side = sides_.emplace_back();
  side.row = row;
  side.index = index;
  side.rules = rules;
  return side;
}

void ConnectionTable::mark(Row& row, int64_t time_us, MarkKind kind, uint8_t side) {
  Connection& connection = row.connection;
  if (connection.marks.size() < kMaxMarksPerConnection)
    connection.marks.push_back({.time_us = time_us, .kind = kind, .from_client = side == 0});
  else
    ++connection.marks_dropped;
}

// Marks the records whose header begins inside the segment's payload.
void ConnectionTable::record_marks(Side& side, Row& row, uint64_t payload_start, uint32_t length, int64_t time_us) {
  if (!side.rules) return;
  const std::vector<KeepRule>& rules = side.rules->rules;
  size_t at = side.next_rule;
  // In stream order the search goes on where the last one ended; otherwise it starts afresh.
  bool continues = (at == rules.size() || rules[at].seq_start >= payload_start) &&
                   (at == 0 || rules[at - 1].seq_start < payload_start);
  if (!continues)
    at = static_cast<size_t>(std::lower_bound(rules.begin(), rules.end(), payload_start,
                                              [](const KeepRule& rule, uint64_t seq) { return rule.seq_start < seq; }) -
                             rules.begin());
  uint64_t end = payload_start + length;
  for (; at < rules.size() && rules[at].seq_start < end; ++at)
    if (is_record(rules[at])) mark(row, time_us, static_cast<MarkKind>(rules[at].content_type - 20), side.index);
  side.next_rule = at;
}

void ConnectionTable::tcp(const MaskedRecord& masked, const Count& bytes) {
  Side& side = side_of(masked);
  Row& row = rows_[side.row];
  count(row, masked, bytes);
  const TcpSegment& segment = masked.record.segment();
  int64_t time_us = masked.record.record.packet.time_us;
  if ((segment.flags & kTcpSyn) && !(segment.flags & kTcpAck) && !row.client_by_syn) {
    row.client_by_syn = true;
    row.client = side.index;
  }
  if (segment.flags & kTcpRst) {
    ++row.connection.resets;
    mark(row, time_us, MarkKind::reset, side.index);
  }
  if (segment.payload_captured == 0) return;

  uint64_t start = masked.record.place.payload_start;
  uint64_t end = start + segment.payload_captured;
  if (side.data_seen && end <= side.highest_end) {
    ++row.connection.retransmissions;
    mark(row, time_us, MarkKind::retransmission, side.index);
  } else if (side.data_seen && start > side.highest_end) {
    ++row.connection.gaps;
    mark(row, time_us, MarkKind::gap, side.index);
  }
  side.highest_end = side.data_seen ? std::max(side.highest_end, end) : end;
  side.data_seen = true;
  record_marks(side, row, start, segment.payload_captured, time_us);

  if (!side.feed_started && side.rules && !side.rules->rules.empty()) {
    side.feed_started = true;
    side.feed.emplace(side.rules->rules.front().seq_start, side.index == row.client);
  }
  if (side.feed) {
    NameCounts before = name_counts(row.connection.session);
    side.feed->segment(start, bytes_at(masked, segment.payload_offset, segment.payload_captured),
                       row.connection.session);
    tally_new_names(row.connection.session, before, masked.record.record.packet.number);
    if (side.feed->finished()) side.feed.reset();
  }
}

void ConnectionTable::udp(const MaskedRecord& masked, const Count& bytes) {
  const FlowKey& key = masked.record.decoded.tcp.key;
  auto found = udp_rows_.find(key);
  if (found == udp_rows_.end()) found = udp_rows_.find(reversed(key));
  if (found == udp_rows_.end()) {
    new_row(Transport::udp, key, masked);
    found = udp_rows_.emplace(key, static_cast<uint32_t>(rows_.size() - 1)).first;
  }
  Row& row = rows_[found->second];
  count(row, masked, bytes);
  if (row.datagrams_read >= kDatagramsRead) return;
  ++row.datagrams_read;
  const PacketLayout& layout = masked.record.decoded.layout;
  NameCounts before = name_counts(row.connection.session);
  read_datagram(bytes_at(masked, layout.header_end, layout.payload_end - layout.header_end), key == row.key,
                row.connection.session);
  tally_new_names(row.connection.session, before, masked.record.record.packet.number);
}

ConnectionTable::NameCounts ConnectionTable::name_counts(const SecureSession& session) {
  return {session.server_names.size(), session.certificate_subjects.size(), session.certificate_issuers.size()};
}

void ConnectionTable::tally_new_names(const SecureSession& session, const NameCounts& before, uint64_t packet) {
  for (size_t i = before.server_names; i < session.server_names.size(); ++i)
    if (session.server_names[i] != "(zeroed)") server_names_.note_text(session.server_names[i], packet);
  for (size_t i = before.subjects; i < session.certificate_subjects.size(); ++i)
    certificate_names_.note_text(session.certificate_subjects[i], packet);
  for (size_t i = before.issuers; i < session.certificate_issuers.size(); ++i)
    certificate_names_.note_text(session.certificate_issuers[i], packet);
}

std::string ConnectionTable::endpoint(uint8_t family, const std::array<uint8_t, 16>& address, uint16_t port) {
  std::array<uint8_t, 16> shown = address;
  AddressKind kind = family == 6 ? AddressKind::ipv6 : AddressKind::ipv4;
  if (anonymizer_) anonymizer_->anonymize(kind, address.data(), shown.data());
  std::string text = address_to_string(family, shown);
  return family == 6 ? fmt::format("[{}]:{}", text, port) : fmt::format("{}:{}", text, port);
}

void ConnectionTable::finish(Row& row) {
  Connection& connection = row.connection;
  bool swapped = row.client == 1;
  connection.client = swapped ? endpoint(row.key.family, row.key.dst, row.key.dport)
                              : endpoint(row.key.family, row.key.src, row.key.sport);
  connection.server = swapped ? endpoint(row.key.family, row.key.src, row.key.sport)
                              : endpoint(row.key.family, row.key.dst, row.key.dport);
  if (swapped)
    for (TimelineMark& mark : connection.marks) mark.from_client = !mark.from_client;
  if (connection.transport == Transport::udp) {
    const std::string& protocol = connection.session.protocol;
    connection.walk = protocol == "DTLS" ? "dtls" : protocol == "QUIC" ? "quic" : "none";
    return;
  }
  const FlowRules* walked = nullptr;
  for (uint8_t index : {row.client, static_cast<uint8_t>(1 - row.client)}) {
    if (row.sides[index] < 0) continue;
    const FlowRules* rules = sides_[static_cast<size_t>(row.sides[index])].rules;
    if (!rules) continue;
    if (!walked) walked = rules;
    for (const KeepRule& rule : rules->rules)
      if (is_record(rule)) ++connection.records[rule.content_type - 20];
  }
  connection.walk = walked ? to_string(walked->walk) : "not_tls";
  if (walked && walked->walk == WalkStatus::stopped) connection.stop_reason = shown_stop_reason(walked->stop_reason);
}

std::vector<Connection> ConnectionTable::take() {
  std::vector<Connection> connections;
  connections.reserve(rows_.size());
  for (Row& row : rows_) {
    finish(row);
    connections.push_back(std::move(row.connection));
  }
  return connections;
}

}  // namespace pktmask::report

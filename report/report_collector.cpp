#include "report/report_collector.h"

#include <algorithm>
#include <numeric>

#include "common/anon/address_text.h"
#include "common/byte_reader.h"
#include "report/byte_series.h"
#include "report/connection_table.h"
#include "report/identifier_tally.h"
#include "report/link_type_name.h"
#include "report/pcapng_kept.h"

namespace pktmask::report {

namespace {

std::string anonymize_text(const AnonSettings& settings) {
  constexpr std::string_view kPrefix = "anonymize=";
  if (!settings.any()) return "";
  std::string line = canonical_string(settings);
  return line.starts_with(kPrefix) ? line.substr(kPrefix.size()) : line;
}

std::string_view as_key(std::span<const uint8_t> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

struct ReportCollector::State {
  State(const KeepRuleSet& rules, const AnonSetup& anon, ReportHeader given)
      : header(std::move(given)), connections(rules, anon) {}

  void section_header(const CaptureRecord& record);
  void packet(const MaskedRecord& masked);
  void addresses(const DecodedPacket& decoded, std::span<const uint8_t> data, uint64_t number);
  void undecoded(const DecodedPacket& decoded, const PacketZeroed& zeroed, uint64_t number);

  ReportHeader header;
  ConnectionTable connections;
  ByteSeriesBuilder series;
  IdentifierTally ip_addresses;
  IdentifierTally mac_addresses;
  PcapngKept pcapng_metadata;
  IdentifierTally undecoded_reasons;
  std::vector<uint32_t> link_types;
  uint64_t records = 0;
  bool format_known = false;
};

void ReportCollector::State::section_header(const CaptureRecord& record) {
  if (!header.sanitized_by.empty()) return;
  header.sanitized_by = pktmask_application(record);
}

void ReportCollector::State::addresses(const DecodedPacket& decoded, std::span<const uint8_t> data, uint64_t number) {
  ByteReader packet(data);
  for (size_t i = 0; i < decoded.addresses.site_count; ++i) {
    const AddressSite& site = decoded.addresses.sites[i];
    std::span<const uint8_t> bytes = packet.sub(site.offset, address_size(site.kind)).bytes();
    if (bytes.size() != address_size(site.kind)) continue;
    IdentifierTally& tally = site.kind == AddressKind::mac ? mac_addresses : ip_addresses;
    tally.note(as_key(bytes), number, [&] { return address_to_string(site.kind, bytes.data()); });
  }
}

void ReportCollector::State::undecoded(const DecodedPacket& decoded, const PacketZeroed& zeroed, uint64_t number) {
  const PacketLayout& layout = decoded.layout;
  uint64_t left = layout.undecoded_end - layout.payload_end;
  uint64_t masked = zeroed.bytes[static_cast<size_t>(ByteClass::undecoded)];
  if (layout.undecoded == UndecodedReason::none || left <= masked) return;
  auto reason = static_cast<char>(layout.undecoded);
  undecoded_reasons.note({&reason, 1}, number, [&] { return std::string(to_string(layout.undecoded)); });
}

void ReportCollector::State::packet(const MaskedRecord& masked) {
  const Packet& packet = masked.record.record.packet;
  if (link_types.empty() || link_types.back() != packet.link_type) {
    if (std::find(link_types.begin(), link_types.end(), packet.link_type) == link_types.end())
      link_types.push_back(packet.link_type);
  }
  Count bytes;
  if (masked.zeroed) {
    const PacketZeroed& zeroed = *masked.zeroed;
    bytes.zeroed = std::accumulate(zeroed.bytes.begin(), zeroed.bytes.end(), zeroed.tcp);
    undecoded(masked.record.decoded, zeroed, packet.number);
  }
  bytes.kept = packet.data.size() - std::min<uint64_t>(bytes.zeroed, packet.data.size());
  if (header.packets == 0) header.first_time_us = packet.time_us;
  ++header.packets;
  header.bytes += packet.data.size();
  header.last_time_us = packet.time_us;
  header.totals.kept += bytes.kept;
  header.totals.zeroed += bytes.zeroed;
  series.add(packet.time_us, bytes);
  addresses(masked.record.decoded, packet.data, packet.number);
  connections.packet(masked, bytes);
}

ReportCollector::ReportCollector(const KeepRuleSet& rules, const PolicySettings& policy, const AnonSetup& anon,
                                 ReportHeader header)
    : state_(std::make_unique<State>(rules, anon, std::move(header))) {
  ReportHeader& filled = state_->header;
  filled.policy_version = kMaskingPolicyVersion;
  if (filled.profile.empty()) filled.profile = to_string(policy.profile);
  filled.anonymize = anonymize_text(anon.settings);
  filled.key_id = anon.settings.any() && anon.key ? key_id(*anon.key) : "";
}

ReportCollector::~ReportCollector() = default;

void ReportCollector::record(const MaskedRecord& masked) {
  State& state = *state_;
  const CaptureRecord& record = masked.record.record;
  // Blocks are numbered as the output holds them: one left out takes no number.
  if (!masked.written.empty()) ++state.records;
  if (!state.format_known) {
    state.format_known = true;
    state.header.format = record.format == CaptureFormat::pcapng ? "pcapng" : "pcap";
  }
  if (record.kind == RecordKind::section_header) state.section_header(record);
  if (record.has_packet()) state.packet(masked);
  state.pcapng_metadata.block(record, masked.written, state.records);
}

Report ReportCollector::finish(const MaskStats&) {
  State& state = *state_;
  Report report;
  report.header = std::move(state.header);
  // A file pktmask wrote is an output, whatever the caller could tell.
  if (!report.header.sanitized_by.empty()) report.header.subject = "sanitized";
  for (uint32_t link_type : state.link_types) report.header.link_types.push_back(link_type_name(link_type));
  report.connections = state.connections.take();
  report.identifies = {.ip_addresses = state.ip_addresses.take(),
                       .mac_addresses = state.mac_addresses.take(),
                       .server_names = state.connections.take_server_names(),
                       .certificate_names = state.connections.take_certificate_names(),
                       .pcapng_metadata = state.pcapng_metadata.take(),
                       .undecoded = state.undecoded_reasons.take()};
  report.series = state.series.take();
  return report;
}

}  // namespace pktmask::report

#include "cli/stats_json.h"

#include "common/anon/anon_key.h"
#include "common/policy_json.h"

namespace pktmask {

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MaskCounters, tcp_payload_bytes_kept, tcp_payload_bytes_masked, checksums_fixed,
                                   checksums_left_unverified, outer_checksums_fixed, outer_checksums_left_unverified)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MetadataBlocksRemoved, secrets, name_resolution, custom, unknown)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MetadataOptionsRemoved, section_header, interface_description, enhanced_packet,
                                   packet, interface_statistics)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(AnonCounters, ipv4, ipv6, mac, checksums_updated, overflowed_packets)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE(MetadataCounters, blocks_removed, options_removed, malformed_option_lists)

namespace cli {

namespace {

void add_decode(nlohmann::json& json, const DecodeCounters& decode, const std::optional<Truncation>& truncation) {
  json.update(decode.to_json());
  uint64_t undecoded = 0;
  for (DecodeOutcome outcome : {DecodeOutcome::truncated, DecodeOutcome::invalid, DecodeOutcome::unsupported})
    undecoded += decode.by_outcome[static_cast<size_t>(outcome)];
  json["undecoded_packets"] = undecoded;
  json.update(truncation_json(truncation));
}

void add_mark(nlohmann::json& json, const MarkStats& mark, const std::string& engine) {
  const WalkStatistics& walks = mark.walks;
  nlohmann::json records = nlohmann::json::object();
  for (size_t i = 0; i < kTlsContentTypeCount; ++i)
    records[tls_content_type_name(static_cast<uint8_t>(kFirstTlsContentType + i))] = walks.records_by_type[i];
  json["engine"] = engine;
  json["directions"] = {{"tls", walks.tls}, {"stopped", walks.stopped}, {"not_tls", walks.not_tls}};
  json["records_by_type"] = records;
  json["rules"] = walks.rules;
  json["engine_differences"] = mark.engine_differences ? nlohmann::json(*mark.engine_differences) : nullptr;
  json["engine_differences_listed"] = mark.engine_differences_listed;
}

// {"tcp": {"kept", "zeroed"}, "udp": ...}: every byte after the last header, by class.
nlohmann::json bytes_by_class(const MaskCounters& counters) {
  nlohmann::json json = {
      {"tcp", {{"kept", counters.tcp_payload_bytes_kept}, {"zeroed", counters.tcp_payload_bytes_masked}}}};
  for (size_t i = 0; i < kByteClassCount; ++i)
    json[to_string(static_cast<ByteClass>(i))] = {{"kept", counters.bytes[i].kept},
                                                  {"zeroed", counters.bytes[i].zeroed}};
  return json;
}

nlohmann::json undecoded_by_reason(const MaskCounters& counters) {
  nlohmann::json json = nlohmann::json::object();
  for (size_t i = 1; i < kUndecodedReasonCount; ++i)
    json[to_string(static_cast<UndecodedReason>(i))] = counters.undecoded_packets[i];
  return json;
}

void add_mask(nlohmann::json& json, const MaskStats& mask) {
  json.update(nlohmann::json(mask.payload));
  json["bytes"] = bytes_by_class(mask.payload);
  json["undecoded_by_reason"] = undecoded_by_reason(mask.payload);
  json["secrets_blocks_removed"] = mask.metadata.blocks_removed.secrets;
  json["metadata"] = mask.metadata;
  json["bytes_written"] = mask.bytes_written;
}

// The settings (never the key), the key's id, and the address sites rewritten.
nlohmann::json anonymize_json(const AnonSetup* anon, const AnonCounters& counters) {
  nlohmann::json json = {{"settings", canonical_string(anon ? anon->settings : AnonSettings{})},
                         {"key_id", anon && anon->key ? nlohmann::json(key_id(*anon->key)) : nullptr}};
  json.update(nlohmann::json(counters));
  return json;
}

nlohmann::json self_check_json(const verify::SelfCheckStats& check) {
  if (!check.ran) {
    nlohmann::json json = {{"ran", false}};
    if (!check.not_run_reason.empty()) json["reason"] = check.not_run_reason;
    return json;
  }
  return {{"ran", true},
          {"result", check.ok() ? "ok" : "failed"},
          {"leaked_bytes", check.leaked_bytes},
          {"lost_bytes", check.lost_bytes},
          {"structural", check.structural},
          {"kept_payload_addresses", check.kept_payload_addresses}};
}

}  // namespace

nlohmann::json stats_json(const RunStats& run) {
  nlohmann::json json = {{"schema", kStatsSchema}, {"input", run.input}, {"output", run.output}};
  if (run.policy) json["policy"] = policy_to_json(*run.policy);
  nlohmann::json seconds = {
      {"total", std::chrono::duration<double>(std::chrono::steady_clock::now() - run.start).count()}};
  if (run.mark) {
    add_mark(json, *run.mark, run.engine);
    seconds["mark"] = run.mark->seconds;
  }
  // Both stages count the same packets; the masker's are those of the output.
  if (run.mask) {
    add_mask(json, *run.mask);
    json["anonymize"] = anonymize_json(run.anon, run.mask->anon);
    add_decode(json, run.mask->decode, run.mask->truncation);
    seconds["mask"] = run.mask->seconds;
  } else if (run.mark) {
    add_decode(json, run.mark->decode, run.mark->truncation);
  }
  if (run.self_check) json["self_check"] = self_check_json(*run.self_check);
  json["seconds"] = seconds;
  return json;
}

}  // namespace cli

}  // namespace pktmask

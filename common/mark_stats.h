#pragma once
// What the marker counts. It travels in the KeepRuleSet (its `stats`,
// docs/keep-rules.md) and is reported by --stats (cli/stats_json.h); neither
// stage reads it back to decide anything.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/decode_counters.h"
#include "common/truncation.h"

namespace pktmask {

// The TLS content types a kept record can have (the walk finds no other):
// change_cipher_spec (20) to heartbeat (24).
constexpr uint8_t kFirstTlsContentType = 20;
constexpr size_t kTlsContentTypeCount = 5;
const char* tls_content_type_name(uint8_t content_type);

// The walk verdicts of the directions in a KeepRuleSet, and its rules.
struct WalkStatistics {
  uint64_t tls = 0;  // directions by WalkStatus
  uint64_t stopped = 0;
  uint64_t not_tls = 0;
  std::array<uint64_t, kTlsContentTypeCount> records_by_type{};  // rules, from kFirstTlsContentType on
  uint64_t rules = 0;
};

struct MarkStats {
  DecodeCounters decode;
  std::optional<Truncation> truncation;  // the input's torn last record, left out
  WalkStatistics walks;
  double seconds = 0;
  // --engine both only: the byte ranges the engines disagree on, and the first of them described.
  std::optional<uint64_t> engine_differences;
  std::vector<std::string> engine_differences_listed;
};

}  // namespace pktmask

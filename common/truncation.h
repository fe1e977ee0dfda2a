#pragma once
// A capture whose last record was cut short (tcpdump killed, disk full) is
// sanitized up to its last complete record; this is how that is reported:
// two statistics keys and one warning line.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace pktmask {

// Where a capture whose last record was cut short ends. For compressed input
// both count decompressed bytes.
struct Truncation {
  uint64_t offset = 0;      // of the torn record: the complete records' length
  uint64_t torn_bytes = 0;  // of it that were there (0: a compressed stream cut between records)
};

// {"input_truncated_at": offset or null, "input_bytes_left_out": torn bytes or 0}:
// the same keys in the KeepRuleSet's stats, --stats, verify --json and capture events.
nlohmann::json truncation_json(const std::optional<Truncation>& truncation);
// The inverse, from an object holding those keys.
std::optional<Truncation> truncation_from_json(const nlohmann::json& json);

// "pktmask: INPUT: warning: truncated at byte N ..." when the input was cut
// short, else nullopt.
std::optional<std::string> truncation_warning(const std::string& input, const std::optional<Truncation>& truncation);

}  // namespace pktmask

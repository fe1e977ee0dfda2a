#pragma once
// The --stats edge of mark, mask and sanitize: the one place their
// statistics become JSON. The three write one shape (kStatsSchema, every key
// in docs/usage.md, "--stats schema"); each fills the parts it ran.

#include <chrono>
#include <string>

#include <nlohmann/json.hpp>

#include "common/anon/anon_setup.h"
#include "common/mark_stats.h"
#include "common/policy.h"
#include "common/stats_schema.h"
#include "masker/mask_stats.h"
#include "verifier/self_check.h"

namespace pktmask::cli {

struct RunStats {
  std::string input{};   // as the user named it
  std::string output{};  // the rules (mark) or the sanitized capture
  std::string engine{};  // with `mark`
  const MarkStats* mark = nullptr;
  const MaskStats* mask = nullptr;
  const verify::SelfCheckStats* self_check = nullptr;  // with `mask`
  const PolicySettings* policy = nullptr;              // the settings the command ran under
  const AnonSetup* anon = nullptr;                     // with `mask`: the address anonymization it ran with
  std::chrono::steady_clock::time_point start{};       // of the command
};

nlohmann::json stats_json(const RunStats& run);

}  // namespace pktmask::cli

#pragma once
// The masker stage: one streaming pass that copies the capture record by
// record, zeroing every TCP payload byte the KeepRuleSet does not keep.

#include <string>

#include <nlohmann/json.hpp>

#include "keep_rules.h"

namespace pktmask {

struct MaskJob {
  std::string input;   // capture path, or "-" for stdin
  std::string output;  // path, or "-" for stdout
  bool progress = false;
  std::string name = "";  // how messages name the input (a spool's origin); empty: `input`

  const std::string& shown() const { return name.empty() ? input : name; }
};

// Returns the masking statistics; throws Error. No output is left behind on failure.
nlohmann::json mask_capture(const MaskJob& job, const KeepRuleSet& rules);

}  // namespace pktmask

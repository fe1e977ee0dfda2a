#pragma once
// The masker's lookup structure: per (direction, generation), the kept byte
// ranges merged and sorted, searched by binary search.

#include <cstdint>
#include <span>
#include <unordered_map>
#include <vector>

#include "common/keep_rules.h"

namespace pktmask {

struct KeptRange {
  uint64_t start = 0;
  uint64_t end = 0;  // exclusive
};

class RuleIndex {
 public:
  explicit RuleIndex(const KeepRuleSet& rules);
  // The kept ranges of this direction and generation; empty if it has none.
  std::span<const KeptRange> find(const FlowKey& key, uint32_t generation) const;
  size_t direction_count() const { return size_; }

 private:
  struct Generation {
    uint32_t generation;
    std::vector<KeptRange> ranges;
  };
  std::unordered_map<FlowKey, std::vector<Generation>, FlowKeyHash> map_;
  size_t size_ = 0;
};

struct MaskResult {
  uint64_t kept = 0;
  uint64_t masked = 0;
};

// Zeroes every byte of `payload` (whose first byte has logical sequence
// number `seq`) that no range keeps.
MaskResult mask_payload(std::span<const KeptRange> kept, uint64_t seq, std::span<uint8_t> payload);

}  // namespace pktmask

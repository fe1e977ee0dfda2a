#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <vector>

namespace gen_corpus {

// The first captured copy of every byte of one stream, by logical offset.
// Offsets never added are gaps (loss, snaplen cut, end of capture).
class first_copy_view {
 public:
  void add(uint64_t offset, std::span<const uint8_t> bytes);
  std::optional<uint8_t> at(uint64_t offset) const;

 private:
  std::map<uint64_t, uint8_t> bytes_;  // streams in the corpus are small
};

struct walked_record {
  uint64_t offset = 0;  // of the header
  uint8_t type = 0;
  uint16_t length = 0;
};

// The record walk of masking-policy.md: from `start`, header after header,
// until a header that is missing, partly captured or implausible. Gaps in
// bodies do not stop it; nothing resynchronises.
std::vector<walked_record> walk_records(const first_copy_view& view, uint64_t start);

// Where the walk stopped at a partly captured header (some of its 5 bytes
// never captured), whether the captured ones could still start a plausible
// header. The policy lets a tool keep or mask those bytes; pktmask keeps them,
// so that a capture marked in segments gives the same bytes as a whole one.
bool partial_header_consistent(const first_copy_view& view, uint64_t position);

// Whether the policy keeps the body of a record of this type.
bool keeps_body(uint8_t type);

}  // namespace gen_corpus

#pragma once
// One list of what still identifies (report/report_model.h, IdentifierList),
// built value by value: distinct values keyed by their raw bytes, so a value
// seen again costs one hash lookup and its text is made only once. Values
// past kMaxIdentifiersPerList are only counted, by a hash of their bytes.

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "report/report_model.h"

namespace pktmask::report {

class IdentifierTally {
 public:
  // Notes the value with raw bytes `key` in packet (or record) `packet`,
  // numbers never decreasing; a value counts once per packet. `text` makes
  // the value's shown form, called only for a value not seen before.
  template <class Text>
  void note(std::string_view key, uint64_t packet, Text&& text) {
    auto found = index_.find(key);
    if (found != index_.end()) {
      Seen& seen = seen_[found->second];
      if (seen.last_packet != packet) {
        seen.last_packet = packet;
        ++list_.items[found->second].count;
      }
      return;
    }
    if (list_.items.size() >= kMaxIdentifiersPerList) {
      if (overflow_.insert(std::hash<std::string_view>{}(key)).second) ++list_.more;
      return;
    }
    index_.emplace(std::string(key), list_.items.size());
    seen_.push_back({packet});
    list_.items.push_back({.value = text(), .count = 1, .first_packet = packet});
  }
  // A value whose raw bytes are its text.
  void note_text(const std::string& value, uint64_t packet) {
    note(value, packet, [&] { return value; });
  }
  IdentifierList take() { return std::move(list_); }

 private:
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view key) const { return std::hash<std::string_view>{}(key); }
  };
  struct Seen {
    uint64_t last_packet;
  };

  std::unordered_map<std::string, size_t, Hash, std::equal_to<>> index_;
  std::vector<Seen> seen_;  // by item
  std::unordered_set<size_t> overflow_;
  IdentifierList list_;
};

}  // namespace pktmask::report

#pragma once
// What verification found: the three counts the verdict rests on, the first
// few offenders of each, and the totals of the "ok" line.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/truncation.h"

namespace pktmask::verify {

enum class Problem : uint8_t {
  leaked,      // payload bytes the policy masks that are not zero
  lost,        // payload bytes the policy keeps that differ from the original
  structural,  // anything outside TCP payloads that differs
};
constexpr size_t kProblemCount = 3;
const char* to_string(Problem problem);

// The classes of bytes masking policy v2 masks, for the report of leaks by
// class (docs/usage.md, verify); `address`: an original address left in an
// anonymized output.
enum class ByteClass : uint8_t { tcp, udp, icmp, fragment, esp, trailer, undecoded, metadata, address };
constexpr size_t kByteClassCount = 9;
const char* to_string(ByteClass byte_class);

// Where a problem was found: a packet (numbered as Wireshark numbers frames),
// another record of the file (by its offset), or the file as a whole.
struct Place {
  enum class Kind : uint8_t { packet, record, file };
  Kind kind = Kind::file;
  uint64_t number = 0;  // frame number or file offset

  static Place packet(uint64_t frame) { return {Kind::packet, frame}; }
  static Place record(uint64_t offset) { return {Kind::record, offset}; }
  static Place file() { return {}; }
  std::string to_string() const;
};

class Findings {
 public:
  explicit Findings(size_t max_report) : max_report_(max_report) {}

  // Adds `count` to the problem's total and lists it among the first few.
  void add(Problem problem, uint64_t count, Place where, std::string what);
  // A leak: counted under Problem::leaked and under its class.
  void add_leak(ByteClass byte_class, uint64_t count, Place where, std::string what);
  uint64_t leaked(ByteClass byte_class) const { return leaked_by_class_[static_cast<size_t>(byte_class)]; }
  uint64_t count(Problem problem) const { return by_problem_[static_cast<size_t>(problem)].count; }
  bool ok() const;
  // "packet N: what" of the first listed offender of `problem`, or "" if none.
  std::string first_offender(Problem problem) const;

  // An original address in payload bytes the policy keeps, where it is a
  // warning rather than a leak (the self-check: verifier/address_judge.h).
  void note_kept_address(Place where, std::string what);
  uint64_t kept_addresses() const { return kept_addresses_; }
  // "packet N: what" of the first one noted, or "" if none.
  std::string first_kept_address() const;

  uint64_t packets = 0;
  uint64_t payload_bytes_kept = 0;
  uint64_t payload_bytes_masked = 0;
  std::optional<Truncation> original_truncation;  // its torn last record was left out

  // The summary line, then one line per listed offender.
  std::string to_text() const;
  nlohmann::json to_json() const;

 private:
  struct Offender {
    Place where;
    std::string what;
  };
  struct Tally {
    uint64_t count = 0;
    std::vector<Offender> first;
  };

  size_t max_report_;
  std::array<Tally, kProblemCount> by_problem_;
  std::array<uint64_t, kByteClassCount> leaked_by_class_{};
  uint64_t kept_addresses_ = 0;
  std::optional<Offender> first_kept_address_;
};

}  // namespace pktmask::verify

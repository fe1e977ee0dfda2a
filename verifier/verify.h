#pragma once
// `pktmask verify`: checks a sanitized capture against its original and the
// masking policy, independently of the marker that produced it.

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "common/anon/anon_setup.h"
#include "common/capture_reader.h"
#include "common/errors.h"
#include "common/policy.h"
#include "verifier/findings.h"
#include "verifier/tshark_opinion.h"

namespace pktmask::verify {

// The exit status of a verification that found problems (docs/usage.md).
constexpr ExitCode kVerificationFailed = ExitCode::verification_failed;

struct VerifyJob {
  std::string original;  // a regular file: it is read three times
  std::string sanitized;
  bool tshark = true;  // ask tshark for a second opinion
  std::string tshark_binary = "tshark";
  size_t max_report = 10;                 // offenders listed per problem
  TornTail torn_tail = TornTail::refuse;  // for ORIGINAL; SANITIZED must be whole
  PolicySettings policy{};                // the settings SANITIZED is judged under
  AnonSetup anon{};                       // the address anonymization SANITIZED is judged under
};

struct VerifyResult {
  Findings findings;
  std::optional<TsharkOpinionStats> tshark;  // when tshark was asked

  // verify --json: the findings and {"tshark": {"ran", ...}}.
  nlohmann::json to_json() const;
};

// Throws Error for unreadable captures (bad_capture) and tshark failures
// (tshark_failed); what verification finds is in the result.
VerifyResult verify_captures(const VerifyJob& job);

}  // namespace pktmask::verify

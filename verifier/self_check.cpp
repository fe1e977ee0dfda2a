#include "verifier/self_check.h"

#include <fmt/format.h>

#include "common/errors.h"
#include "verifier/walk_original.h"

namespace pktmask::verify {

namespace {

constexpr size_t kOffendersKept = 1;  // the message names the first one

std::optional<AddressJudge> address_judge(const AnonSetup& anon, const OriginalAddresses& addresses) {
  if (!anon.settings.any()) return std::nullopt;
  return AddressJudge(anon, addresses, KeptPayloadAddresses::warn);
}

}  // namespace

SelfCheck::SelfCheck(CaptureInput original, std::string output, TornTail torn_tail, const PolicySettings& settings,
                     const AnonSetup& anon)
    : output_(std::move(output)),
      settings_(settings),
      anon_(anon),
      addresses_(anon_),
      // The walk collects the original's addresses before any record is
      // compared: a leftover address may be used only by a later packet.
      walk_(std::async(std::launch::async,
                       [input = std::move(original), torn_tail, settings, addresses = &addresses_] {
                         return walk_original(input, torn_tail, settings, addresses);
                       })),
      findings_(kOffendersKept) {}

SelfCheck::SelfCheck(SegmentedPolicy& policy, const CaptureSegment& segment, const CaptureSegment* next,
                     std::string output, const PolicySettings& settings, const AnonSetup& anon)
    : output_(std::move(output)), settings_(settings), anon_(anon), addresses_(AnonSetup{}), findings_(kOffendersKept) {
  comparison_.emplace(policy.walk(segment, next, anon_), settings_, findings_, FrameHook{},
                      address_judge(anon_, policy.addresses()));
}

// An exception ends the run before the walk is collected; wait for the thread
// here so that it never outlives the objects it reads.
SelfCheck::~SelfCheck() {
  if (walk_.valid()) walk_.wait();
}

void SelfCheck::record(const DecodedRecord& original, std::span<const uint8_t> written, uint64_t frame) {
  if (!comparison_) {
    policy_ = walk_.get();  // rethrows the walk's own error (unreadable original, interrupt)
    comparison_.emplace(pointers_to(policy_), settings_, findings_, FrameHook{}, address_judge(anon_, addresses_));
  }
  comparison_->compare(original, written, frame);
  // Before the record is written: a stream (-o -, a FIFO) gets nothing past
  // the last record that passed.
  throw_if_failed();
}

void SelfCheck::before_publish() {
  throw_if_failed();
  // Published, but the user must know what the addresses' rewriting could not reach.
  if (findings_.kept_addresses() > 0)
    fmt::print(stderr,
               "pktmask: warning: {}: {} original address(es) remain in payload bytes the policy keeps, first at "
               "{}; --handshake anonymous zeroes certificates and server names, pktmask verify lists them\n",
               output_, findings_.kept_addresses(), findings_.first_kept_address());
}

void SelfCheck::throw_if_failed() const {
  uint64_t leaked = findings_.count(Problem::leaked);
  uint64_t structural = findings_.count(Problem::structural);
  if (leaked == 0 && structural == 0) return;
  Problem first = leaked ? Problem::leaked : Problem::structural;
  throw Error(ExitCode::verification_failed,
              fmt::format("{}: self-check failed, output not published: {} leaked byte(s), {} structural change(s); "
                          "first at {}",
                          output_, leaked, structural, findings_.first_offender(first)));
}

SelfCheckStats SelfCheck::stats() const {
  return {.ran = true,
          .leaked_bytes = findings_.count(Problem::leaked),
          .lost_bytes = findings_.count(Problem::lost),
          .structural = findings_.count(Problem::structural),
          .kept_payload_addresses = findings_.kept_addresses(),
          .first_kept_payload_address = findings_.first_kept_address()};
}

}  // namespace pktmask::verify

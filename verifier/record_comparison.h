#pragma once
// Holds one record of a sanitized capture against the same record of its
// original and the masking policy: kept payload bytes equal the original,
// masked ones are zero, and nothing outside TCP payloads differs except
// checksums that still verify and the pcapng metadata the policy rewrites
// (verifier/metadata_rules.h).
// `pktmask verify` feeds it from two files; the self-check of `sanitize` and
// `mask` feeds it each record as it is written.

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "common/packet_pipeline.h"
#include "common/policy.h"
#include "verifier/address_judge.h"
#include "verifier/findings.h"
#include "verifier/holes.h"
#include "verifier/kept_ranges.h"
#include "verifier/udp_verdicts.h"

namespace pktmask::verify {

// Called for every packet in order with its frame number and whether leaked
// bytes were found in its connection direction up to and including it.
using FrameHook = std::function<void(uint64_t frame, bool direction_leaked)>;

class RecordComparison {
 public:
  // `policy` is indexed like the directions of the flow tracker that placed
  // the original's segments (null or missing: nothing kept).
  // `settings` must outlive the comparison. With `addresses`, the output is
  // judged as anonymized (verifier/address_judge.h).
  RecordComparison(std::vector<const KeptRanges*> policy, const PolicySettings& settings, Findings& findings,
                   FrameHook hook = {}, std::optional<AddressJudge> addresses = std::nullopt);

  // `original` as a PacketPipeline read it; `sanitized` is the raw record
  // written for it (empty where none was).
  void compare(const DecodedRecord& original, std::span<const uint8_t> sanitized, uint64_t frame);

 private:
  void compare_packet(const DecodedRecord& original, std::span<const uint8_t> sanitized);
  void compare_headers(std::span<const uint8_t> original, std::span<const uint8_t> sanitized, size_t header_end,
                       const Holes& holes);
  void judge_bytes(ByteClass byte_class, Verdict verdict, std::span<const uint8_t> original,
                   std::span<const uint8_t> sanitized, size_t begin, size_t end);
  // `span` of the original, `output_span` the same checksum as the sanitized packet's addresses make it.
  void check_checksum(const ChecksumSpan& span, const ChecksumSpan& output_span, const char* name,
                      std::span<const uint8_t> original, std::span<const uint8_t> sanitized);
  void judge_addresses(const DecodedPacket& decoded, std::span<const uint8_t> original,
                       std::span<const uint8_t> sanitized, size_t header_end, std::span<const ChecksumSpan> checksums);
  void judge(const TcpSegment& tcp, const SegmentPlace& place, std::span<const uint8_t> original,
             std::span<const uint8_t> sanitized);
  // A record counts once however many of its bytes differ; the first reason is listed.
  void structural(std::string what);

  std::vector<const KeptRanges*> policy_;
  const PolicySettings& settings_;
  UdpVerdicts udp_;
  std::vector<PayloadStretch> udp_stretches_;
  Findings& findings_;
  FrameHook hook_;
  std::vector<bool> leaked_directions_;
  std::optional<AddressJudge> addresses_;
  Place where_;
  bool reported_ = false;
  bool direction_leaked_ = false;
};

}  // namespace pktmask::verify

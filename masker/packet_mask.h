#pragma once
// Masks one decoded packet in place as the policy says (masking policy v2,
// sections 1-7): TCP payload bytes the KeepRuleSet does not keep, UDP
// payload bytes no UDP walker keeps, ICMP data, fragments, ESP, undecoded
// bytes and trailers are zeroed, then every checksum that verified before
// and covers a zeroed byte is recomputed, innermost first. With scope `tcp`
// (the tls-only profile) only TCP payloads are masked, as in version 1.
// With an AddressAnonymizer, the addresses are then rewritten
// (masker/address_rewrite.h), whatever the scope.

#include <array>
#include <cstdint>
#include <span>
#include <vector>

#include "common/anon/address_anonymizer.h"
#include "common/decode/decoded_packet.h"
#include "common/policy.h"
#include "masker/address_rewrite.h"
#include "masker/mask_stats.h"
#include "masker/rule_index.h"
#include "masker/udp_walk.h"

namespace pktmask {

// Test-only: a fault applied to every masked TCP payload (tests/fault/).
using MaskFault = void (*)(std::span<uint8_t> payload);

// What the KeepRuleSet keeps of a TCP packet's direction.
struct TcpKeep {
  std::span<const KeptRange> ranges;
  uint64_t payload_start = 0;  // logical sequence number of the payload's first byte
};

// The bytes one packet had zeroed, by class: what --annotate names.
struct PacketZeroed {
  uint64_t tcp = 0;
  std::array<uint64_t, kByteClassCount> bytes{};  // by ByteClass
  bool any() const;
};

class PacketMasker {
 public:
  // `anonymizer` null: addresses are left as they are.
  PacketMasker(const PolicySettings& policy, MaskCounters& counters, MaskFault fault = nullptr,
               AddressAnonymizer* anonymizer = nullptr);
  void mask(std::span<uint8_t> data, const DecodedPacket& decoded, const TcpKeep& tcp);
  // What the last call to mask() zeroed.
  const PacketZeroed& zeroed() const { return packet_; }
  const AnonCounters& anon_counters() const { return anon_counters_; }

 private:
  struct Zeroed {
    size_t begin;
    size_t end;
  };
  void judge(ByteClass byte_class, size_t begin, size_t end, bool zero);
  void judge_udp(std::span<const uint8_t> data, const DecodedPacket& decoded);
  void mask_bytes(std::span<uint8_t> data, const DecodedPacket& decoded, const TcpKeep& tcp);
  void anonymize(std::span<uint8_t> data, const DecodedPacket& decoded);
  bool zeroes_any_of(const ChecksumSpan& span) const;

  const PolicySettings& policy_;
  MaskCounters& counters_;
  MaskFault fault_;
  AddressAnonymizer* anonymizer_;
  AnonCounters anon_counters_;
  UdpWalker walker_;
  std::vector<ByteRange> udp_kept_;
  std::vector<Zeroed> zeroed_;  // this packet's, besides the TCP payload
  PacketZeroed packet_;
};

}  // namespace pktmask

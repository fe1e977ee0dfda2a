#pragma once
// How a record comparison judges the addresses of an anonymized output
// (docs/usage.md, verify): the original's address sites and the checksums
// that depend on them are not compared byte for byte. With the key, each
// site must hold the mapped form of the original's address; with or without
// it, each checksum that verified in the original must verify in the output,
// and no original address may appear anywhere in the output's packet bytes.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/anon/address_anonymizer.h"
#include "common/anon/anon_setup.h"
#include "common/decode/decoded_packet.h"
#include "verifier/original_addresses.h"

namespace pktmask::verify {

struct Holes;

// What an original address inside payload bytes the policy keeps (a
// certificate naming its server's IP, or random key material matching an
// address by chance) means: a failure for `pktmask verify`, which screens
// everything, or a warning for the self-check, which enforces the policy
// (kept bytes are kept) and must not refuse a large capture for a 4-byte
// coincidence. Header bytes holding an original address always fail.
enum class KeptPayloadAddresses : uint8_t { fail, warn };

class AddressJudge {
 public:
  // `originals` (collected over the whole original) must outlive the judge.
  AddressJudge(const AnonSetup& anon, const OriginalAddresses& originals, KeptPayloadAddresses kept_payload);

  KeptPayloadAddresses kept_payload() const { return kept_payload_; }

  // The sites, the checksum fields and the cut address of `layout`.
  void add_holes(const AddressLayout& layout, Holes& holes) const;
  // `span` of the original as it applies to the output: its pseudo-header sum
  // made from the output's addresses.
  ChecksumSpan for_output(const ChecksumSpan& span, const AddressLayout& layout, std::span<const uint8_t> original,
                          std::span<const uint8_t> output) const;
  // The first wrongly mapped address (with the key) or checksum that no
  // longer verifies, among those `checked_elsewhere` does not name; "" if none.
  std::string header_problem(const DecodedPacket& decoded, std::span<const uint8_t> original,
                             std::span<const uint8_t> output, std::span<const ChecksumSpan> checked_elsewhere);
  // The original addresses in `output`, in order (with the key, not those at a
  // site of their kind: the key says what those hold, and a mapped address
  // may equal another original).
  const std::vector<AddressHit>& leftovers(const AddressLayout& layout, std::span<const uint8_t> output);

 private:
  std::string checksum_problem(const AddressChecksum& checksum, const AddressLayout& layout,
                               std::span<const uint8_t> original, std::span<const uint8_t> output) const;

  std::optional<AddressAnonymizer> anonymizer_;
  const OriginalAddresses& originals_;
  KeptPayloadAddresses kept_payload_;
  std::vector<AddressHit> hits_;
};

}  // namespace pktmask::verify

#pragma once
// The keyed address mapping (docs/design.md, "Address anonymization"):
// Crypto-PAn over IPv4 (32 bits) and the same construction over IPv6 (128
// bits); a keyed permutation of MAC addresses that keeps the individual/group
// and universal/local bits (and the OUI with keep_oui). Addresses the
// settings preserve map to themselves or keep their prefix; every other
// address maps outside those ranges, so the mapping stays one-to-one and
// reversible. Results are cached in a bounded cache: one instance per thread.

#include <cstdint>
#include <memory>

#include "common/anon/anon_key.h"
#include "common/anon/anon_settings.h"
#include "common/decode/decoded_packet.h"

namespace pktmask {

// Whether the settings leave this address unchanged whatever the key: a kind
// they do not anonymize, a kept prefix, a preserved special address. What
// verify, without the key, may find unchanged in an output.
bool maps_to_itself(const AnonSettings& settings, AddressKind kind, const uint8_t* address);

class AddressAnonymizer {
 public:
  AddressAnonymizer(const AnonKey& key, const AnonSettings& settings);
  ~AddressAnonymizer();
  AddressAnonymizer(AddressAnonymizer&&) noexcept;
  AddressAnonymizer& operator=(AddressAnonymizer&&) noexcept;

  // Whether addresses of this kind are rewritten at all (settings ip / mac).
  bool rewrites(AddressKind kind) const;
  // Writes the anonymized form of the address_size(kind) bytes at `address`
  // to `out` (which may be `address`). Kinds the settings leave alone are copied.
  void anonymize(AddressKind kind, const uint8_t* address, uint8_t* out);
  // The inverse: the original of an anonymized address.
  void deanonymize(AddressKind kind, const uint8_t* address, uint8_t* out);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace pktmask

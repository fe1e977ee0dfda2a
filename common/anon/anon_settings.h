#pragma once
// What address anonymization does (docs/usage.md, "ADDRESS ANONYMIZATION"):
// which kinds of address are rewritten, which are left alone, and where the
// key lies. Kept apart from PolicySettings on purpose: marking never depends
// on it (rules are made from the original addresses), so a rules file made
// without it serves `mask --anonymize`, and its settings hash stays the same.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pktmask {

// An IPv4 or IPv6 prefix such as 192.0.2.0/24 or 2001:db8::/32.
struct IpPrefix {
  uint8_t family = 4;               // 4 or 6
  std::array<uint8_t, 16> bytes{};  // the first 4 for IPv4; bits past `length` are zero
  uint8_t length = 0;               // in bits
  bool operator==(const IpPrefix&) const = default;

  // Whether the address (4 or 16 bytes, by family) lies in the prefix.
  bool contains(uint8_t address_family, const uint8_t* address) const;
};

// "10.1.0.0/16", "2001:db8::/32", or a bare address (a full-length prefix);
// nothing for anything else, or for host bits set past the length.
std::optional<IpPrefix> parse_prefix(std::string_view text);
std::string to_string(const IpPrefix& prefix);

struct AnonSettings {
  bool ip = false;   // IPv4 and IPv6 addresses: Crypto-PAn
  bool mac = false;  // MAC addresses: a keyed permutation
  // Loopback, link-local, multicast, broadcast and unspecified addresses stay
  // recognisable: loopback, multicast, broadcast and unspecified addresses and
  // multicast and broadcast MACs unchanged, link-local ones keep their prefix.
  bool preserve_special = true;
  // RFC 1918 and ULA addresses stay private (keep their prefix).
  bool preserve_class = false;
  // MACs keep their first three bytes (the vendor's OUI).
  bool keep_oui = false;
  std::vector<IpPrefix> keep;  // --anon-keep: addresses in these prefixes stay unchanged
  std::string key_path;        // --key FILE
  bool operator==(const AnonSettings&) const = default;

  bool any() const { return ip || mac; }
};

// The mapping-relevant settings in one line, e.g.
// "anonymize=ip,mac preserve=special keep=192.0.2.0/24" ("anonymize=none"
// when off): what --stats, the pcapng SHB and events quote. Never the key.
std::string canonical_string(const AnonSettings& settings);

}  // namespace pktmask

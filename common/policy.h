#pragma once
// The effective masking policy settings (docs/policy.md, masking policy
// version 2, section 9): what every stage is asked to keep. Profiles are
// named sets of these values; a configuration file and command-line options
// change them one by one. The same struct reaches the marker, the masker, the
// verifier and the capture pipeline, and is recorded in every output.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace pktmask {

constexpr int kMaskingPolicyVersion = 2;

enum class Profile : uint8_t { default_, tls_only, strict };

// Which bodies of walked TLS/DTLS records are kept (their headers always are).
struct TlsBodies {
  bool handshake = true;
  bool alert = true;
  bool ccs = true;
  bool heartbeat = true;
  bool operator==(const TlsBodies&) const = default;

  // Whether the body of a record of this content type is kept: 20
  // ChangeCipherSpec, 21 Alert, 22 Handshake, 24 Heartbeat as listed; no other.
  bool keeps(uint8_t content_type) const;
};

enum class HandshakeDetail : uint8_t {
  full,       // every kept handshake byte
  anonymous,  // zero SNI host names, certificate chains, tickets, PSK identities
  headers,    // keep only each message's type and length
};

enum class MetadataMode : uint8_t { scrub, keep };  // pcapng blocks and options (section 8)
enum class UndecodedMode : uint8_t { zero, keep };  // bytes the decoder cannot place (section 2)

// Which layers are masked at all: `all` is version 2; `tcp` is version 1
// (the tls-only profile): UDP, ICMP, fragments, trailers copied unchanged.
enum class MaskScope : uint8_t { all, tcp };

struct PolicySettings {
  Profile profile = Profile::default_;
  TlsBodies tls;
  HandshakeDetail handshake = HandshakeDetail::full;
  bool starttls = false;
  std::vector<uint16_t> keep_udp;  // sorted, unique
  MetadataMode metadata = MetadataMode::scrub;
  UndecodedMode undecoded = UndecodedMode::zero;
  MaskScope scope = MaskScope::all;
  bool dtls = true;  // the DTLS record walk on UDP (off in strict)
  bool quic = true;  // QUIC invariant fields on UDP (off in strict)
  // A pcapng output's changed packets carry an EPB comment naming what was
  // zeroed. Listed in canonical_string() only when on, so that the hash of
  // every setting without it stays what it was.
  bool annotate = false;
  bool operator==(const PolicySettings&) const = default;

  bool keeps_udp_port(uint16_t port) const;
};

// The settings a profile names, before any option changes them.
PolicySettings profile_settings(Profile profile);

const char* to_string(Profile profile);
const char* to_string(HandshakeDetail detail);
const char* to_string(MetadataMode mode);
const char* to_string(UndecodedMode mode);
const char* to_string(MaskScope scope);

// One line naming every setting in a fixed order, e.g.
// "profile=default tls=handshake,alert,ccs,heartbeat handshake=full ...",
// ending in "annotate=on" only when annotate is on:
// what the hash covers and what the pcapng SHB and messages quote.
std::string canonical_string(const PolicySettings& settings);
// (key, text) of every setting of canonical_string(), in its order.
std::vector<std::pair<std::string, std::string>> setting_texts(const PolicySettings& settings);
// 16 hex digits of a hash of canonical_string(): rules made under other
// settings are refused by mask.
std::string settings_hash(const PolicySettings& settings);
// The settings in a few words, for the pcapng SHB (`pktmask 0.3.0 (masking
// policy 2, <describe>)`) and messages: "profile default" when they are the
// profile's, else the profile and each setting that differs from it, e.g.
// "profile strict, keep-udp=53".
std::string describe(const PolicySettings& settings);

}  // namespace pktmask

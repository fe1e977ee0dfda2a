#pragma once
// The handshake walk of one TCP connection direction (masking policy v2,
// section 10, "Handshake walk"): the bodies of its kept Handshake (22)
// records, concatenated, form one stream of messages (1 type + 3 length
// bytes, then the body) that may span records. `headers` keeps each
// message's 4-byte header; `anonymous` keeps the headers and what
// common/handshake_message.h keeps of each body. Records after the direction's ChangeCipherSpec are
// encrypted (kept whole by anonymous, zero under headers), not part of the
// stream, unless the connection selected TLS 1.3, or its version is unknown
// and the record parses exactly as complete messages.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "common/policy.h"

namespace pktmask {

constexpr uint16_t kTls13Version = 0x0304;  // supported_versions in a ServerHello that selected TLS 1.3

// The stream bytes one direction's walk reads at most; bytes past it are zero.
constexpr size_t kMaxHandshakeStreamBytes = size_t{1} << 20;

struct HandshakeRecord {
  uint64_t body_start = 0;  // logical sequence number of its first body byte
  uint32_t length = 0;
  bool after_ccs = false;  // its direction sent a ChangeCipherSpec record before it
};

// A direction's Handshake record bodies, one after another, as captured.
struct HandshakeStream {
  std::vector<HandshakeRecord> records;  // in stream order
  std::vector<uint8_t> bytes;            // the bodies in record order, cut at kMaxHandshakeStreamBytes
  std::vector<bool> captured;            // per byte of `bytes`: a captured copy was seen
};

struct SeqRange {
  uint64_t start = 0;
  uint64_t end = 0;  // exclusive
  bool operator==(const SeqRange&) const = default;
};

// The version the direction's ServerHello (before its ChangeCipherSpec)
// selected; nothing if it sent none or the walk cannot read it.
std::optional<uint16_t> selected_version(const HandshakeStream& stream);

// What `detail` (anonymous or headers) keeps of the stream's record bodies,
// sorted and non-overlapping. `version`: what the connection's ServerHello
// selected, if known.
std::vector<SeqRange> handshake_kept(const HandshakeStream& stream, HandshakeDetail detail,
                                     std::optional<uint16_t> version);

}  // namespace pktmask

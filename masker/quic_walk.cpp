#include "masker/quic_walk.h"

#include <tuple>

#include "common/byte_reader.h"

namespace pktmask {

namespace {

constexpr uint8_t kLongHeaderBit = 0x80;
constexpr size_t kMaxConnectionIdLength = 20;
constexpr uint32_t kVersionNegotiation = 0;
constexpr uint32_t kVersion1 = 1;
constexpr uint32_t kVersion2 = 0x6b3343cf;
constexpr uint32_t kDraftMask = 0xffffff00;
constexpr uint32_t kDraftPrefix = 0xff000000;

bool known_version(uint32_t version) {
  return version == kVersionNegotiation || version == kVersion1 || version == kVersion2 ||
         (version & kDraftMask) == kDraftPrefix;
}

// The invariant fields of a long header, if they parse.
struct LongHeader {
  uint32_t version = 0;
  size_t scid_length = 0;
  size_t end = 0;  // where the SCID ends
};

bool parse_long_header(const ByteReader& in, LongHeader& header) {
  header.version = in.be32(1);
  const size_t dcid_length = in.u8(5);
  const size_t scid_at = 6 + dcid_length;
  header.scid_length = in.u8(scid_at);
  header.end = scid_at + 1 + header.scid_length;
  return in.ok() && known_version(header.version) && dcid_length <= kMaxConnectionIdLength &&
         header.scid_length <= kMaxConnectionIdLength && in.has(0, header.end);
}

// Endpoint 0 of a 4-tuple is the lower (address, port); the pair is keyed with it as the source.
bool source_is_lower(const FlowKey& key) { return std::tie(key.src, key.sport) <= std::tie(key.dst, key.dport); }

FlowKey pair_key(const FlowKey& key) {
  if (source_is_lower(key)) return key;
  FlowKey swapped = key;
  std::swap(swapped.src, swapped.dst);
  std::swap(swapped.sport, swapped.dport);
  return swapped;
}

}  // namespace

void QuicWalk::kept(const FlowKey& key, std::span<const uint8_t> datagram, std::vector<ByteRange>& ranges) {
  const ByteReader in(datagram);
  if (!in.has(0, 1)) return;
  const size_t sender = source_is_lower(key) ? 0 : 1;
  if (in.u8(0) & kLongHeaderBit) {
    LongHeader header;
    if (!parse_long_header(in, header)) return;
    append_range(ranges, 0, header.end);
    Connection& connection = find_or_add(pair_key(key));
    // A version negotiation packet echoes the client's CIDs: it announces none of the server's.
    if (header.version != kVersionNegotiation) connection.scid_length[sender] = static_cast<int>(header.scid_length);
    return;
  }
  const Connection* connection = find(pair_key(key));
  if (!connection) return;
  const int dcid_length = connection->scid_length[1 - sender];
  const size_t kept_end =
      dcid_length != kUnknown && in.has(1, static_cast<size_t>(dcid_length)) ? 1 + static_cast<size_t>(dcid_length) : 1;
  append_range(ranges, 0, kept_end);
}

QuicWalk::Connection* QuicWalk::find(const FlowKey& pair) {
  auto it = connections_.find(pair);
  if (it == connections_.end()) return nullptr;
  by_age_.splice(by_age_.end(), by_age_, it->second.age);
  return &it->second;
}

QuicWalk::Connection& QuicWalk::find_or_add(const FlowKey& pair) {
  if (Connection* connection = find(pair)) return *connection;
  if (connections_.size() >= capacity_) {
    connections_.erase(by_age_.front());
    by_age_.pop_front();
  }
  by_age_.push_back(pair);
  Connection& connection = connections_[pair];
  connection.age = std::prev(by_age_.end());
  return connection;
}

}  // namespace pktmask

#include "marker/handshake_walk.h"

#include <algorithm>
#include <span>

#include "common/byte_range.h"
#include "common/byte_reader.h"
#include "common/handshake_message.h"

namespace pktmask {

namespace {

constexpr size_t kMessageHeader = 4;
constexpr uint8_t kServerHello = 2;
constexpr uint16_t kSupportedVersionsExtension = 43;
constexpr size_t kRandomEnd = 2 + 32;  // legacy_version, random

// The version a ServerHello body selected: its supported_versions extension
// if present, else its legacy_version; nothing if it does not parse.
std::optional<uint16_t> server_hello_version(std::span<const uint8_t> body) {
  ByteReader in(body);
  uint16_t legacy = in.be16(0);
  size_t at = kRandomEnd + 1 + in.u8(kRandomEnd) + 2 + 1;  // session id, cipher suite, compression method
  if (!in.ok() || at > body.size()) return std::nullopt;
  if (at == body.size()) return legacy;
  size_t end = at + 2 + in.be16(at);
  if (!in.ok() || end != body.size()) return std::nullopt;
  for (at += 2; at + 4 <= end;) {
    uint16_t type = in.be16(at);
    size_t length = in.be16(at + 2);
    at += 4;
    if (at + length > end) return std::nullopt;
    if (type == kSupportedVersionsExtension && length == 2) return in.be16(at);
    at += length;
  }
  return legacy;
}

// The bodies of the records that carry plaintext messages, joined, and where
// each piece lies in sequence space.
class PlainStream {
 public:
  // The part of `record` (at `offset` in stream.bytes) that the walk holds.
  void add(const HandshakeStream& stream, size_t offset, const HandshakeRecord& record) {
    size_t length = held_length(stream, offset, record);
    pieces_.push_back({bytes_.size(), length, record.body_start});
    bytes_.insert(bytes_.end(), stream.bytes.begin() + static_cast<ptrdiff_t>(offset),
                  stream.bytes.begin() + static_cast<ptrdiff_t>(offset + length));
    captured_.insert(captured_.end(), stream.captured.begin() + static_cast<ptrdiff_t>(offset),
                     stream.captured.begin() + static_cast<ptrdiff_t>(offset + length));
  }
  static size_t held_length(const HandshakeStream& stream, size_t offset, const HandshakeRecord& record) {
    return offset >= stream.bytes.size() ? 0 : std::min<size_t>(record.length, stream.bytes.size() - offset);
  }

  size_t size() const { return bytes_.size(); }
  ByteReader reader() const { return ByteReader(bytes_); }
  bool captured(size_t from, size_t to) const {
    return std::all_of(captured_.begin() + static_cast<ptrdiff_t>(from), captured_.begin() + static_cast<ptrdiff_t>(to),
                       [](bool seen) { return seen; });
  }
  // The first byte in [from, to) whose captured flag is `seen`, or `to`.
  size_t next(size_t from, size_t to, bool seen) const {
    auto first = captured_.begin() + static_cast<ptrdiff_t>(from);
    return from + static_cast<size_t>(std::find(first, captured_.begin() + static_cast<ptrdiff_t>(to), seen) - first);
  }
  std::span<const uint8_t> span(size_t from, size_t to) const {
    return std::span<const uint8_t>(bytes_).subspan(from, to - from);
  }
  // Plain bytes [from, to) in sequence space, one range per piece they touch.
  void map(size_t from, size_t to, std::vector<SeqRange>& out) const {
    auto first = std::partition_point(pieces_.begin(), pieces_.end(),
                                      [&](const Piece& piece) { return piece.from + piece.length <= from; });
    for (auto piece = first; piece != pieces_.end() && piece->from < to; ++piece) {
      size_t begin = std::max(from, piece->from);
      size_t end = std::min(to, piece->from + piece->length);
      if (begin < end) out.push_back({piece->seq + (begin - piece->from), piece->seq + (end - piece->from)});
    }
  }
  // The sequence number of plain byte `at` (at < size()).
  uint64_t seq_of(size_t at) const {
    auto piece =
        std::partition_point(pieces_.begin(), pieces_.end(), [&](const Piece& p) { return p.from + p.length <= at; });
    return piece->seq + (at - piece->from);
  }

 private:
  struct Piece {
    size_t from;
    size_t length;
    uint64_t seq;
  };
  std::vector<uint8_t> bytes_;
  std::vector<bool> captured_;
  std::vector<Piece> pieces_;
};

struct MessageHeader {
  uint8_t type;
  uint32_t length;
};

// The complete, captured header at `at`, if there is one.
std::optional<MessageHeader> header_at(const PlainStream& plain, size_t at) {
  if (at + kMessageHeader > plain.size() || !plain.captured(at, at + kMessageHeader)) return std::nullopt;
  ByteReader in = plain.reader();
  return MessageHeader{in.u8(at), uint32_t{in.u8(at + 1)} << 16 | in.be16(at + 2)};
}

// A record with an unknown version after ChangeCipherSpec is plaintext only
// if it is captured whole and its messages end exactly where it does.
bool parses_exactly(const HandshakeStream& stream, size_t offset, const HandshakeRecord& record) {
  if (record.length == 0 || PlainStream::held_length(stream, offset, record) != record.length) return false;
  PlainStream plain;
  plain.add(stream, offset, record);
  if (!plain.captured(0, plain.size())) return false;
  size_t at = 0;
  while (at < plain.size()) {
    std::optional<MessageHeader> header = header_at(plain, at);
    if (!header) return false;
    at += kMessageHeader + header->length;
  }
  return at == plain.size();
}

// Calls visit(at, header) for each message of the stream whose header is
// captured; returns where the walk stopped (a header not captured or cut by
// the end), or the stream's size.
template <typename Visit>
size_t walk_messages(const PlainStream& plain, Visit visit) {
  size_t at = 0;
  while (at < plain.size()) {
    std::optional<MessageHeader> header = header_at(plain, at);
    if (!header) return at;
    if (!visit(at, *header)) return plain.size();
    at += kMessageHeader + header->length;
  }
  return plain.size();
}

}  // namespace

std::optional<uint16_t> selected_version(const HandshakeStream& stream) {
  PlainStream plain;
  size_t offset = 0;
  for (const HandshakeRecord& record : stream.records) {
    if (record.after_ccs) break;
    plain.add(stream, offset, record);
    offset += record.length;
  }
  std::optional<uint16_t> version;
  walk_messages(plain, [&](size_t at, const MessageHeader& header) {
    if (header.type != kServerHello) return true;
    size_t body = at + kMessageHeader;
    size_t end = body + header.length;
    if (end <= plain.size() && plain.captured(body, end)) version = server_hello_version(plain.span(body, end));
    return false;
  });
  return version;
}

std::vector<SeqRange> handshake_kept(const HandshakeStream& stream, HandshakeDetail detail,
                                     std::optional<uint16_t> version) {
  bool anonymous = detail == HandshakeDetail::anonymous;
  bool tls13 = version == kTls13Version;
  PlainStream plain;
  std::vector<SeqRange> encrypted;
  size_t offset = 0;
  for (const HandshakeRecord& record : stream.records) {
    if (!record.after_ccs || tls13 || (!version && parses_exactly(stream, offset, record)))
      plain.add(stream, offset, record);
    else if (size_t held = PlainStream::held_length(stream, offset, record); anonymous && held > 0)
      encrypted.push_back({record.body_start, record.body_start + held});
    offset += record.length;
  }

  std::vector<SeqRange> kept;
  size_t stopped = walk_messages(plain, [&](size_t at, const MessageHeader& header) {
    std::vector<ByteRange> ranges{{at, at + kMessageHeader}};
    size_t body = at + kMessageHeader;
    size_t end = std::min(body + header.length, plain.size());
    // Each captured run of the body on its own: a ClientHello is parsed only
    // from its first byte to its first byte not captured.
    for (size_t run = plain.next(body, end, true); run < end;) {
      size_t run_end = plain.next(run, end, false);
      handshake_body_kept({.type = header.type,
                           .bytes = plain.span(run, run_end),
                           .declared_length = header.length - (run - body),
                           .offset = run - body,
                           .base = run},
                          detail, ranges);
      run = plain.next(run_end, end, true);
    }
    for (const ByteRange& range : ranges) plain.map(range.begin, range.end, kept);
    return true;
  });
  // A header the walk could not read ends it: nothing after it is kept, encrypted records included.
  if (stopped < plain.size()) {
    uint64_t stop = plain.seq_of(stopped);
    std::erase_if(encrypted, [&](const SeqRange& range) { return range.start >= stop; });
  }
  kept.insert(kept.end(), encrypted.begin(), encrypted.end());
  std::sort(kept.begin(), kept.end(), [](const SeqRange& a, const SeqRange& b) { return a.start < b.start; });
  // Adjacent ranges (messages one after another) join: fewer rules.
  std::vector<SeqRange> joined;
  for (const SeqRange& range : kept)
    if (!joined.empty() && joined.back().end == range.start)
      joined.back().end = range.end;
    else
      joined.push_back(range);
  return joined;
}

}  // namespace pktmask

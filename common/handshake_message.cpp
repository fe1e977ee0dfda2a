#include "common/handshake_message.h"

#include <algorithm>

#include "common/byte_reader.h"

namespace pktmask {

namespace {

constexpr uint16_t kServerNameExtension = 0;
constexpr uint16_t kSessionTicketExtension = 35;
constexpr uint16_t kPreSharedKeyExtension = 41;
constexpr uint16_t kSupportedVersionsExtension = 43;
constexpr size_t kRandomEnd = 2 + 32;  // legacy_version, random
constexpr size_t kTicketAgeSize = 4;

// Reads a ClientHello's framing: notes the bytes anonymous zeroes and cuts
// at the first byte whose meaning is unknown. Every parse step returns false
// once it has cut.
class HelloJudge {
 public:
  HelloJudge(std::span<const uint8_t> known, size_t end) : in_(known), cut_(std::min(known.size(), end)) {}

  // The content of a vector with a `size`-byte length prefix at `at` that
  // must fit within `limit`.
  std::optional<MessageRange> vector(size_t at, size_t size, size_t limit) {
    if (at + size > limit || !in_.has(at, size)) return cut(at);
    size_t begin = at + size;
    size_t end = begin + (size == 1 ? in_.u8(at) : in_.be16(at));
    if (end > limit) return cut(at);
    return MessageRange{begin, end};
  }
  // A vector that should fill its container: bytes left after it have no
  // known meaning (cut there), but its own content is read on.
  std::optional<MessageRange> filling(size_t at, size_t size, size_t limit) {
    std::optional<MessageRange> content = vector(at, size, limit);
    if (content && content->end != limit) cut(content->end);
    return content;
  }
  bool fixed(size_t at, size_t size, size_t limit) {
    if (at + size <= limit) return true;
    cut(at);
    return false;
  }
  void zero(MessageRange range) { zero_.push_back(range); }
  uint16_t be16(size_t at) const { return in_.be16(at); }

  // [0, cut) less the zeroed ranges, which were noted in order.
  std::vector<MessageRange> kept() const {
    std::vector<MessageRange> kept;
    size_t at = 0;
    for (const MessageRange& range : zero_) {
      if (range.begin >= cut_) break;
      if (range.begin > at) kept.push_back({at, range.begin});
      at = std::max(at, range.end);
    }
    if (cut_ > at) kept.push_back({at, cut_});
    return kept;
  }

 private:
  std::nullopt_t cut(size_t at) {
    cut_ = std::min(cut_, at);
    return std::nullopt;
  }

  ByteReader in_;
  size_t cut_;
  std::vector<MessageRange> zero_;
};

// server_name: list length, then entries of name type and host name; the names go.
bool judge_server_name(HelloJudge& judge, MessageRange data) {
  std::optional<MessageRange> list = judge.filling(data.begin, 2, data.end);
  if (!list) return false;
  for (size_t at = list->begin; at < list->end;) {
    std::optional<MessageRange> name = judge.vector(at + 1, 2, list->end);
    if (!name) return false;
    judge.zero(*name);
    at = name->end;
  }
  return true;
}

// pre_shared_key: identities (each an identity and its obfuscated ticket
// age), then binders; the identities go.
bool judge_pre_shared_key(HelloJudge& judge, MessageRange data) {
  std::optional<MessageRange> identities = judge.vector(data.begin, 2, data.end);
  if (!identities) return false;
  for (size_t at = identities->begin; at < identities->end;) {
    std::optional<MessageRange> identity = judge.vector(at, 2, identities->end);
    if (!identity) return false;
    judge.zero(*identity);
    if (!judge.fixed(identity->end, kTicketAgeSize, identities->end)) return false;
    at = identity->end + kTicketAgeSize;
  }
  std::optional<MessageRange> binders = judge.filling(identities->end, 2, data.end);
  if (!binders) return false;
  for (size_t at = binders->begin; at < binders->end;) {
    std::optional<MessageRange> binder = judge.vector(at, 1, binders->end);
    if (!binder) return false;
    at = binder->end;
  }
  return true;
}

void judge_extensions(HelloJudge& judge, MessageRange block) {
  for (size_t at = block.begin; at < block.end;) {
    if (!judge.fixed(at, 2, block.end)) return;
    std::optional<MessageRange> data = judge.vector(at + 2, 2, block.end);
    if (!data) return;
    uint16_t type = judge.be16(at);
    if (type == kSessionTicketExtension) judge.zero(*data);
    if (type == kServerNameExtension && !judge_server_name(judge, *data)) return;
    if (type == kPreSharedKeyExtension && !judge_pre_shared_key(judge, *data)) return;
    at = data->end;
  }
}

std::vector<MessageRange> client_hello_kept(std::span<const uint8_t> known, size_t header, size_t end, bool dtls) {
  HelloJudge judge(known, end);
  auto kept = [&] { return judge.kept(); };
  if (!judge.fixed(header, kRandomEnd, end)) return kept();
  std::optional<MessageRange> field = judge.vector(header + kRandomEnd, 1, end);  // session id
  if (field && dtls) field = judge.vector(field->end, 1, end);                    // cookie
  if (field) field = judge.vector(field->end, 2, end);                            // cipher suites
  if (field) field = judge.vector(field->end, 1, end);                            // compression methods
  if (!field || field->end == end) return kept();  // extensions are optional before TLS 1.3
  if (std::optional<MessageRange> block = judge.filling(field->end, 2, end)) judge_extensions(judge, *block);
  return kept();
}

// Kept up to the end of the certificate_list length; in TLS 1.3 a request
// context (length byte and bytes) comes before it.
std::vector<MessageRange> certificate_kept(std::span<const uint8_t> known, size_t header, size_t end, bool tls13) {
  size_t list_length = header;
  if (tls13) {
    ByteReader in(known);
    if (!in.has(header, 1)) return {{0, header}};
    list_length = header + 1 + in.u8(header);
  }
  return {{0, std::min(list_length + 3, end)}};
}

// Kept up to the end of the ticket's length: lifetime (TLS 1.2); lifetime,
// age_add and nonce (TLS 1.3).
std::vector<MessageRange> new_session_ticket_kept(std::span<const uint8_t> known, size_t header, size_t end,
                                                  bool tls13) {
  size_t ticket_length = header + 4;
  if (tls13) {
    size_t nonce_length = header + 8;
    ByteReader in(known);
    if (!in.has(nonce_length, 1)) return {{0, std::min(nonce_length, end)}};
    ticket_length = nonce_length + 1 + in.u8(nonce_length);
  }
  return {{0, std::min(ticket_length + 2, end)}};
}

}  // namespace

std::vector<MessageRange> anonymous_kept(std::span<const uint8_t> known, uint32_t body_length,
                                         HandshakeDialect dialect) {
  size_t header = dialect.header_size();
  size_t end = header + body_length;
  ByteReader in(known);
  if (!in.has(0, header)) return {};
  switch (in.u8(0)) {
    case kClientHello:
      return client_hello_kept(known, header, end, dialect.dtls);
    case kCertificate:
      return certificate_kept(known, header, end, dialect.tls13);
    case kNewSessionTicket:
      return new_session_ticket_kept(known, header, end, dialect.tls13);
    default:
      return {{0, end}};
  }
}

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

}  // namespace pktmask

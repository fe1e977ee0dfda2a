#include "verifier/udp_verdicts.h"

#include <algorithm>
#include <tuple>

#include "common/byte_reader.h"

namespace pktmask::verify {

namespace {

constexpr size_t kDtlsHeader = 13;
constexpr uint32_t kMaxDtlsBody = 18432;
constexpr size_t kMaxConnectionId = 20;
// Past this many QUIC 4-tuples new ones are not remembered, and their short
// headers must be zero: a masker that kept them is reported, never excused.
constexpr size_t kMaxQuicTuples = size_t{1} << 20;

FlowKey unordered(FlowKey key) {
  if (std::tie(key.dst, key.dport) < std::tie(key.src, key.sport)) {
    std::swap(key.src, key.dst);
    std::swap(key.sport, key.dport);
  }
  return key;
}

// DTLS: records one after another until one is implausible; a unified
// (DTLS 1.3) header is not a 13-byte header and so ends the walk too.
void dtls_verdicts(const PolicySettings& settings, const ByteReader& in, size_t size,
                   std::vector<PayloadStretch>& out) {
  for (size_t at = 0; at + kDtlsHeader <= size;) {
    uint8_t type = in.u8(at);
    uint16_t epoch = in.be16(at + 3);
    uint32_t length = in.be16(at + 11);
    bool plausible = type >= 20 && type <= 25 && in.u8(at + 1) == 0xfe && length <= kMaxDtlsBody &&
                     at + kDtlsHeader + length <= size;
    if (!plausible) return;
    out.push_back({at, at + kDtlsHeader, Verdict::kept});
    size_t body = at + kDtlsHeader, end = body + length;
    // Epoch > 0 is encrypted: kept whole, but for handshake bodies under
    // `headers`; an unencrypted handshake body's detail is left to the tool.
    bool detailed = type == 22 && settings.handshake != HandshakeDetail::full;
    bool headers_only = detailed && settings.handshake == HandshakeDetail::headers;
    if (settings.tls.keeps(type) && length > 0 && !(epoch != 0 && headers_only))
      out.push_back({body, end, detailed && epoch == 0 ? Verdict::either : Verdict::kept});
    at = end;
  }
}

bool known_quic_version(uint32_t version) {
  return version == 0 || version == 1 || version == 0x6b3343cf || (version >> 8) == 0xff0000;
}

// QUIC long header: first byte, version, the two connection IDs with their lengths.
void quic_long_verdicts(const ByteReader& in, size_t size, std::vector<PayloadStretch>& out) {
  if (size < 7 || !known_quic_version(in.be32(1))) return;
  size_t dcid_length = in.u8(5);
  size_t scid_at = 6 + dcid_length;
  if (dcid_length > kMaxConnectionId || scid_at >= size) return;
  size_t scid_length = in.u8(scid_at);
  size_t end = scid_at + 1 + scid_length;
  if (scid_length > kMaxConnectionId || end > size) return;
  out.push_back({0, end, Verdict::kept});
}

}  // namespace

void UdpVerdicts::judge(const FlowKey& key, std::span<const uint8_t> payload, std::vector<PayloadStretch>& stretches) {
  const PolicySettings& settings = settings_;
  stretches.clear();
  if (payload.empty()) return;
  if (settings.keeps_udp_port(key.sport) || settings.keeps_udp_port(key.dport)) {
    stretches.push_back({0, payload.size(), Verdict::kept});
    return;
  }
  ByteReader in(payload);
  uint8_t first = in.u8(0);
  if (settings.dtls && first >= 20 && first <= 25 && payload.size() > 1 && in.u8(1) == 0xfe) {
    dtls_verdicts(settings, in, payload.size(), stretches);
    return;
  }
  if (!settings.quic) return;
  FlowKey tuple = unordered(key);
  if (first & 0x80) {
    quic_long_verdicts(in, payload.size(), stretches);
    if (!stretches.empty() && quic_.size() < kMaxQuicTuples) quic_.insert(tuple);
    return;
  }
  // A short header keeps its first byte and may keep a DCID as long as the
  // peer's SCID: the verifier allows either for up to the longest one.
  if (quic_.contains(tuple)) stretches.push_back({0, std::min(payload.size(), 1 + kMaxConnectionId), Verdict::either});
}

}  // namespace pktmask::verify

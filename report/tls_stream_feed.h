#pragma once
// Hands one TCP direction's output bytes to a TlsDirectionReader in stream
// order: segments arriving in order go straight through, segments ahead of
// the stream wait in a buffer bounded by kMaxHandshakeBytes. Once the reader
// is done, or the bound is reached, reader and buffer are freed: memory per
// direction then stays a few words whatever the connection's length.

#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "report/report_model.h"
#include "report/tls_details.h"

namespace pktmask::report {

class TlsStreamFeed {
 public:
  // The direction's TLS begins at logical sequence number `start`.
  TlsStreamFeed(uint64_t start, bool from_client) : next_(start), reader_(std::in_place, from_client) {}
  // The payload `bytes` of a segment beginning at logical sequence number `seq`.
  void segment(uint64_t seq, std::span<const uint8_t> bytes, SecureSession& session);
  bool finished() const { return !reader_; }

 private:
  struct Ahead {
    uint64_t seq;
    std::vector<uint8_t> bytes;
  };
  void feed(uint64_t seq, std::span<const uint8_t> bytes, SecureSession& session);
  void finish();

  uint64_t next_;     // the first stream byte not yet fed
  uint64_t fed_ = 0;  // bytes fed, against kMaxHandshakeBytes
  size_t ahead_bytes_ = 0;
  std::optional<TlsDirectionReader> reader_;
  std::vector<Ahead> ahead_;
};

}  // namespace pktmask::report

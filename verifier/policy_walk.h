#pragma once
// The masking policy's TLS record walk over one connection direction,
// written for the verifier on its own (it shares no code with the marker's).
// It starts at the stream start, reads each header from the first captured
// copy of its bytes, and never resynchronises; what it walks becomes the
// direction's KeptRanges.

#include <cstdint>
#include <utility>

#include "common/policy.h"
#include "verifier/capture_bytes.h"
#include "verifier/first_copies.h"
#include "verifier/kept_ranges.h"

namespace pktmask::verify {

class PolicyWalk {
 public:
  // `tls` says which record bodies are kept; with a handshake detail other
  // than full, handshake bodies are left to the tool (either).
  PolicyWalk(uint64_t stream_start, TlsBodies tls, HandshakeDetail handshake)
      : cursor_(stream_start), tls_(tls), handshake_(handshake) {}

  // Captured payload: stream bytes [seq, seq + length) at `file_offset` of
  // the original, in capture order.
  void feed(uint64_t seq, uint64_t length, uint64_t file_offset, const CaptureBytes& bytes);
  // The capture ended. A header still incomplete falls into a gap; its
  // captured bytes may be kept or masked if they could start a plausible header.
  void finish(const CaptureBytes& bytes);

  // The walk's result, once finished.
  KeptRanges release() { return std::move(kept_); }

  // For a capture that arrives in segments: the segment ends, the walk goes
  // on in the next one. Like finish(), the captured bytes of a header still
  // incomplete may be kept or masked (until the next segment completes it);
  // the bytes the walk still needs are copied into memory.
  void pause(const CaptureBytes& bytes);
  // Forgets kept ranges far behind the walk, bounding memory. A segment's
  // check calls it when it begins, not when the segment ends: the segment
  // before may still be checked with this one as its look-ahead.
  void forget_behind();
  const KeptRanges& kept() const { return kept_; }

 private:
  // The captured bytes of an incomplete header at the cursor, if they could
  // begin a plausible one, may be kept or masked.
  void allow_partial_header(const CaptureBytes& bytes);
  // Walks past the record at the cursor if its whole header is captured.
  bool step(const CaptureBytes& bytes);
  void stop();

  uint64_t cursor_;
  TlsBodies tls_;
  HandshakeDetail handshake_;
  bool stopped_ = false;
  FirstCopies copies_;
  KeptRanges kept_;
};

}  // namespace pktmask::verify

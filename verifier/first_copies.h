#pragma once
// The first captured copy of every stream byte the walk has not passed yet,
// for one direction. Pieces are disjoint: a later copy of a byte already held
// (a retransmission, an overlap) adds nothing, which is exactly the policy's
// "first captured copy wins". A piece names where its bytes lie in the
// original capture rather than holding them.

#include <cstdint>
#include <map>
#include <memory>
#include <vector>

#include "verifier/capture_bytes.h"

namespace pktmask::verify {

class FirstCopies {
 public:
  // Stream bytes [seq, seq + length) are captured at `file_offset`; bytes
  // below `from` (already walked past) are not needed.
  void add(uint64_t seq, uint64_t length, uint64_t file_offset, uint64_t from);
  // Reads the held bytes of [seq, seq + count) into out[0..count), count <= 8.
  // Bit i of the result is set when byte i is held.
  uint8_t read(uint64_t seq, size_t count, uint8_t* out, const CaptureBytes& bytes) const;
  // Forgets every byte below `seq`.
  void drop_below(uint64_t seq);
  void clear() { pieces_.clear(); }
  // Copies every held byte into memory: the capture segment they lie in is
  // about to go, and the walk goes on in the next one.
  void hold_in_memory(const CaptureBytes& bytes);

 private:
  struct Piece {
    uint64_t end;          // exclusive
    uint64_t file_offset;  // into `memory` when it is set
    std::shared_ptr<const std::vector<uint8_t>> memory;
  };
  std::map<uint64_t, Piece> pieces_;  // by first sequence number
};

}  // namespace pktmask::verify

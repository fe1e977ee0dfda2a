#include "verifier/first_copies.h"

#include <algorithm>
#include <cstring>
#include <iterator>

namespace pktmask::verify {

void FirstCopies::add(uint64_t seq, uint64_t length, uint64_t file_offset, uint64_t from) {
  const uint64_t end = seq + length;
  uint64_t at = std::max(seq, from);
  auto next = pieces_.upper_bound(at);
  if (next != pieces_.begin()) at = std::max(at, std::prev(next)->second.end);
  // Fill only the holes between pieces already held.
  while (at < end) {
    uint64_t hole_end = next == pieces_.end() ? end : std::min(end, next->first);
    if (at < hole_end) pieces_.emplace_hint(next, at, Piece{hole_end, file_offset + (at - seq), nullptr});
    if (next == pieces_.end()) break;
    at = std::max(at, next->second.end);
    ++next;
  }
}

uint8_t FirstCopies::read(uint64_t seq, size_t count, uint8_t* out, const CaptureBytes& bytes) const {
  const uint64_t end = seq + count;
  uint8_t held = 0;
  auto piece = pieces_.upper_bound(seq);
  if (piece != pieces_.begin() && std::prev(piece)->second.end > seq) --piece;
  for (; piece != pieces_.end() && piece->first < end; ++piece) {
    uint64_t first = std::max(seq, piece->first);
    uint64_t last = std::min(end, piece->second.end);
    const Piece& held_piece = piece->second;
    uint64_t offset = held_piece.file_offset + (first - piece->first);
    if (held_piece.memory)
      std::memcpy(out + (first - seq), held_piece.memory->data() + offset, static_cast<size_t>(last - first));
    else
      bytes.read(offset, static_cast<size_t>(last - first), out + (first - seq));
    for (uint64_t at = first; at < last; ++at) held |= static_cast<uint8_t>(1u << (at - seq));
  }
  return held;
}

void FirstCopies::drop_below(uint64_t seq) {
  while (!pieces_.empty() && pieces_.begin()->first < seq) {
    auto piece = pieces_.begin();
    Piece rest = piece->second;
    uint64_t start = piece->first;
    pieces_.erase(piece);
    if (rest.end > seq) {
      pieces_.emplace(seq, Piece{rest.end, rest.file_offset + (seq - start), rest.memory});
      return;
    }
  }
}

void FirstCopies::hold_in_memory(const CaptureBytes& bytes) {
  for (auto& [start, piece] : pieces_) {
    if (piece.memory) continue;
    auto memory = std::make_shared<std::vector<uint8_t>>(piece.end - start);
    bytes.read(piece.file_offset, memory->size(), memory->data());
    piece = {piece.end, 0, std::move(memory)};
  }
}

}  // namespace pktmask::verify

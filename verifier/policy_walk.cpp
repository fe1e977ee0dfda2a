#include "verifier/policy_walk.h"

namespace pktmask::verify {

namespace {

constexpr size_t kHeaderBytes = 5;
constexpr uint8_t kWholeHeader = (1u << kHeaderBytes) - 1;
constexpr uint32_t kMaxBodyLength = 18432;

bool plausible(const uint8_t* header) {
  uint32_t length = uint32_t{header[3]} << 8 | header[4];
  return header[0] >= 20 && header[0] <= 24 && header[1] == 3 && length <= kMaxBodyLength;
}

// Could the captured bytes (bit i of `held`: header[i]) begin a plausible header?
bool could_be_plausible(const uint8_t* header, uint8_t held) {
  auto has = [held](int i) { return (held >> i) & 1; };
  if (has(0) && (header[0] < 20 || header[0] > 24)) return false;
  if (has(1) && header[1] != 3) return false;
  if (has(3) && header[3] > (kMaxBodyLength >> 8)) return false;
  if (has(3) && has(4) && (uint32_t{header[3]} << 8 | header[4]) > kMaxBodyLength) return false;
  return true;
}

}  // namespace

void PolicyWalk::stop() {
  stopped_ = true;
  copies_.clear();
}

bool PolicyWalk::step(const CaptureBytes& bytes) {
  uint8_t header[kHeaderBytes];
  if (copies_.read(cursor_, kHeaderBytes, header, bytes) != kWholeHeader) return false;
  if (!plausible(header)) {
    stop();
    return false;
  }
  uint64_t body = cursor_ + kHeaderBytes;
  uint64_t end = body + (uint32_t{header[3]} << 8 | header[4]);
  bool listed = tls_.keeps(header[0]);
  bool detailed = header[0] == 22 && handshake_ != HandshakeDetail::full;
  kept_.keep(cursor_, listed && !detailed ? end : body);
  if (listed && detailed) kept_.allow_either(body, end);
  cursor_ = end;
  return true;
}

void PolicyWalk::feed(uint64_t seq, uint64_t length, uint64_t file_offset, const CaptureBytes& bytes) {
  if (stopped_ || seq + length <= cursor_) return;
  copies_.add(seq, length, file_offset, cursor_);
  while (step(bytes)) {
  }
  copies_.drop_below(cursor_);
}

void PolicyWalk::allow_partial_header(const CaptureBytes& bytes) {
  uint8_t header[kHeaderBytes];
  uint8_t held = copies_.read(cursor_, kHeaderBytes, header, bytes);
  if (held != 0 && could_be_plausible(header, held)) kept_.allow_either(cursor_, cursor_ + kHeaderBytes);
}

void PolicyWalk::finish(const CaptureBytes& bytes) {
  if (stopped_) return;
  allow_partial_header(bytes);
  stop();
}

void PolicyWalk::forget_behind() {
  // The marker carries kept ranges at most 16 MiB behind its walk; a
  // retransmission older than that is masked. Remembering twice as much
  // bounds memory and can only call such masked bytes "lost", never "leaked".
  constexpr uint64_t kRemembered = uint64_t{32} << 20;
  if (cursor_ > kRemembered) kept_.forget_below(cursor_ - kRemembered);
}

void PolicyWalk::pause(const CaptureBytes& bytes) {
  if (stopped_) return;
  allow_partial_header(bytes);
  copies_.hold_in_memory(bytes);
}

}  // namespace pktmask::verify

#include "report/tls_stream_feed.h"

#include <algorithm>

namespace pktmask::report {

void TlsStreamFeed::finish() {
  reader_.reset();
  std::vector<Ahead>().swap(ahead_);
  ahead_bytes_ = 0;
}

// Feeds what of [seq, seq + bytes.size()) lies past next_, if it begins at or before it.
void TlsStreamFeed::feed(uint64_t seq, std::span<const uint8_t> bytes, SecureSession& session) {
  uint64_t end = seq + bytes.size();
  if (seq > next_ || end <= next_) return;
  std::span<const uint8_t> fresh = bytes.subspan(static_cast<size_t>(next_ - seq));
  fresh = fresh.first(std::min<size_t>(fresh.size(), kMaxHandshakeBytes - fed_));
  reader_->feed(fresh, session);
  next_ += fresh.size();
  fed_ += fresh.size();
  if (reader_->done() || fed_ >= kMaxHandshakeBytes) finish();
}

void TlsStreamFeed::segment(uint64_t seq, std::span<const uint8_t> bytes, SecureSession& session) {
  if (!reader_ || bytes.empty() || seq + bytes.size() <= next_) return;
  if (seq > next_) {
    if (ahead_bytes_ + bytes.size() > kMaxHandshakeBytes) return finish();
    ahead_.push_back({seq, std::vector<uint8_t>(bytes.begin(), bytes.end())});
    ahead_bytes_ += bytes.size();
    return;
  }
  feed(seq, bytes, session);
  // Segments that waited may now continue the stream.
  for (bool progress = true; reader_ && progress && !ahead_.empty();) {
    progress = false;
    for (size_t i = 0; i < ahead_.size() && reader_; ++i) {
      if (ahead_[i].seq > next_) continue;
      Ahead waited = std::move(ahead_[i]);
      ahead_.erase(ahead_.begin() + static_cast<ptrdiff_t>(i));
      ahead_bytes_ -= waited.bytes.size();
      feed(waited.seq, waited.bytes, session);
      progress = true;
      break;
    }
  }
}

}  // namespace pktmask::report

#include "verifier/walk_original.h"

#include <optional>

#include "verifier/capture_bytes.h"
#include "verifier/policy_walk.h"
#include "verifier/tcp_segments.h"

namespace pktmask::verify {

std::vector<KeptRanges> walk_original(const CaptureInput& original, TornTail torn_tail, const PolicySettings& settings,
                                      OriginalAddresses* addresses) {
  PipelineOptions options{.torn_tail = torn_tail};
  std::vector<DirectionState> starts = stream_starts(original, options, [addresses](const DecodedRecord& read) {
    if (addresses) addresses->collect(read);
  });
  CaptureBytes bytes(original);
  std::vector<std::optional<PolicyWalk>> walks(starts.size());
  for_each_payload(original, options, bytes, starts.size(),
                   [&](uint32_t direction, uint64_t seq, uint64_t length, uint64_t file_offset) {
                     std::optional<PolicyWalk>& walk = walks[direction];
                     if (!walk) walk.emplace(starts[direction].stream_start, settings.tls, settings.handshake);
                     walk->feed(seq, length, file_offset, bytes);
                   });

  std::vector<KeptRanges> kept(walks.size());
  for (size_t i = 0; i < walks.size(); ++i) {
    if (!walks[i]) continue;
    walks[i]->finish(bytes);
    kept[i] = walks[i]->release();
  }
  return kept;
}

}  // namespace pktmask::verify

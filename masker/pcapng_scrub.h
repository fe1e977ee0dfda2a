#pragma once
// The pcapng metadata rewrite of the masking policy (section 8), one block at
// a time as the masker writes them, so memory stays flat in capture size:
// Decryption Secrets Blocks always go; under metadata=scrub so do name
// resolution, custom and unknown blocks and every option but the few the
// policy lists; every section header names pktmask and its settings (and
// the anonymization with its key's id) in one shb_userappl; under --annotate a changed packet's EPB gets one comment.

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "common/anon/anon_setup.h"
#include "common/capture_reader.h"
#include "common/policy.h"
#include "masker/mask_stats.h"

namespace pktmask {

class PcapngScrub {
 public:
  // The shb_userappl names the settings and, when addresses are anonymized,
  // what was anonymized and the key's id.
  PcapngScrub(const PolicySettings& settings, const AnonSetup& anon);

  // What to write for `record`: its raw bytes, a rewritten copy valid until
  // the next call, or an empty span where the block is removed. pcap records
  // pass as they are. A non-empty `comment` is added to an Enhanced Packet
  // Block as an opt_comment (--annotate); other blocks have none.
  std::span<const uint8_t> rewrite(const CaptureRecord& record, std::string_view comment = {});
  const MetadataCounters& counters() const { return counters_; }

 private:
  bool removed(uint32_t block_type);
  std::span<const uint8_t> rewrite_options(const CaptureRecord& block, size_t start, std::string_view comment);

  MetadataMode mode_;
  std::string user_application_;  // the shb_userappl value
  std::vector<uint8_t> out_;
  MetadataCounters counters_;
};

}  // namespace pktmask

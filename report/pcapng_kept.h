#pragma once
// The pcapng metadata a written block still holds, as the report lists it
// (StillIdentifies::pcapng_metadata): each option as "name: value", and a
// block other than the section header, interfaces and packets by its type.

#include <cstdint>
#include <span>
#include <string>

#include "common/capture_reader.h"
#include "report/identifier_tally.h"

namespace pktmask::report {

// Tallies, block by block as written, the pcapng metadata of the output.
// A value is keyed by its raw bytes: its text is made once, when first seen.
class PcapngKept {
 public:
  // `written`: the bytes written for `block` (the masker copies a block up to
  // its option list, so its options begin where the block's do); `record`:
  // the block's 1-based number in the capture.
  void block(const CaptureRecord& block, std::span<const uint8_t> written, uint64_t record);
  IdentifierList take() { return tally_.take(); }

 private:
  IdentifierTally tally_;
  std::string key_;  // reused: block type and option bytes
};

// The shb_userappl of a section header as read, when pktmask wrote it ("pktmask ..."); else "".
std::string pktmask_application(const CaptureRecord& section_header);

}  // namespace pktmask::report

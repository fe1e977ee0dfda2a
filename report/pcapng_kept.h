#pragma once
// The pcapng metadata a written block still holds, as the report lists it
// (StillIdentifies::pcapng_metadata): each option as "name: value", and a
// block other than the section header, interfaces and packets by its type.

#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "common/capture_reader.h"

namespace pktmask::report {

// Calls `note` with one text per option of `written` (the bytes written for
// `block`, which the masker copies up to the option list), and one for the
// block itself where it is neither SHB, IDB nor a packet block.
void kept_metadata(const CaptureRecord& block, std::span<const uint8_t> written,
                   const std::function<void(const std::string&)>& note);

// The shb_userappl of a section header as read, when pktmask wrote it ("pktmask ..."); else "".
std::string pktmask_application(const CaptureRecord& section_header);

}  // namespace pktmask::report

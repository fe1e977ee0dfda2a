#pragma once
// Bounds a message's text for the events: an integrator stores `error_msg`
// in a column of fixed size (the contract allows 1 KiB).

#include <cstddef>
#include <string>
#include <string_view>

namespace pktmask {

constexpr size_t kErrorMessageBytes = 1024;

// `text` when it fits in `max_bytes`; else its longest prefix that ends on
// a UTF-8 character boundary and leaves room for "…", followed by "…".
std::string limit_utf8(std::string_view text, size_t max_bytes);

}  // namespace pktmask

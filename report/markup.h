#pragma once
// Escaping for everything the report puts into its page: every string from
// a capture (an SNI, a certificate name, a pcapng comment) is shown as text
// and is never parsed as markup or script.

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace pktmask::report {

// For HTML and SVG text and attribute values: & < > " ' as references.
std::string escape_markup(std::string_view text);

// JSON for the body of a <script type="application/json"> element: every
// "<" written as \u003c, so no string in it can close the element
// ("</script>") or open a comment ("<!--"). Invalid UTF-8 becomes U+FFFD.
std::string script_json(const nlohmann::json& value);

}  // namespace pktmask::report

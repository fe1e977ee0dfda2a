#pragma once
// The connection table's data: its columns and one compact row per
// connection, embedded in the page as JSON that report/report.js turns into
// table rows. Rows are arrays in column order (no repeated keys), strings
// are stored once, and
// timeline marks are left out (the SVG draws them), so 10 000 connections
// stay around a megabyte.

#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "report/report_model.h"

namespace pktmask::report {

// The page embeds at most this many rows: the busiest connections, and says so.
inline constexpr size_t kMaxTableRows = 20000;

struct Column {
  std::string_view key;    // th data-key, the fragment's sort=KEY and the filter's KEY:text
  std::string_view label;  // header text
  std::string_view title;  // header tooltip
  bool numeric = false;
};

// The table's columns, in order.
const std::vector<Column>& table_columns();

// {"keys": [column keys..., "stop_reason"], "text": [per key: a string?],
//  "strings": [each distinct string once], "rows": [[...], ...],
//  "total": connections in the report}. A string cell is its index in
// "strings"; a list holds its values one a line.
nlohmann::json connection_rows(const Report& report);

}  // namespace pktmask::report

#pragma once
// Which connections the page shows when it cannot show all: the busiest,
// by records plus packets, so the timeline's lanes and the table's rows
// keep the connections with the most to see.

#include <cstddef>
#include <vector>

#include "report/report_model.h"

namespace pktmask::report {

// Indices into `connections` of the `limit` busiest (all when there are no
// more), in id order. Ties go to the lower id.
std::vector<size_t> busiest_connections(const std::vector<Connection>& connections, size_t limit);

}  // namespace pktmask::report

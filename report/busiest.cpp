#include "report/busiest.h"

#include <algorithm>
#include <numeric>

namespace pktmask::report {

namespace {

uint64_t activity(const Connection& connection) {
  return std::accumulate(connection.records.begin(), connection.records.end(), connection.packets);
}

}  // namespace

std::vector<size_t> busiest_connections(const std::vector<Connection>& connections, size_t limit) {
  std::vector<size_t> order(connections.size());
  std::iota(order.begin(), order.end(), size_t{0});
  if (order.size() <= limit) return order;
  std::nth_element(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(limit), order.end(),
                   [&](size_t a, size_t b) {
                     const uint64_t busy_a = activity(connections[a]);
                     const uint64_t busy_b = activity(connections[b]);
                     return busy_a != busy_b ? busy_a > busy_b : a < b;
                   });
  order.resize(limit);
  std::sort(order.begin(), order.end());
  return order;
}

}  // namespace pktmask::report

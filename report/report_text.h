#pragma once
// How the report's page writes numbers, sizes and times for people to read.

#include <cstdint>
#include <string>

namespace pktmask::report {

// 1234567 -> "1,234,567".
std::string grouped(uint64_t n);
// "12.5 %" of part in whole; "0 %" when whole is 0.
std::string percent_text(uint64_t part, uint64_t whole);
// Decimal units: "512 B", "1.5 kB", "12.3 MB".
std::string byte_size_text(double bytes);
// Microseconds since the epoch as UTC: "2026-12-06T23:59:52.123456Z".
std::string utc_time_text(int64_t time_us);
// A duration: "350 µs", "12.345 ms", "4.500 s", "2 min 03.250 s", "1 h 02 min 03 s".
std::string duration_text(int64_t duration_us);

}  // namespace pktmask::report

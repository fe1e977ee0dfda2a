#include "report/report_text.h"

#include <chrono>

#include <fmt/format.h>

namespace pktmask::report {

std::string grouped(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string percent_text(uint64_t part, uint64_t whole) {
  if (whole == 0) return "0 %";
  return fmt::format("{:.1f} %", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
}

std::string byte_size_text(double bytes) {
  static constexpr const char* kUnits[] = {"B", "kB", "MB", "GB", "TB"};
  size_t unit = 0;
  while (bytes >= 1000.0 && unit + 1 < std::size(kUnits)) {
    bytes /= 1000.0;
    ++unit;
  }
  if (unit == 0) return fmt::format("{:.0f} B", bytes);
  return fmt::format("{:.3g} {}", bytes, kUnits[unit]);
}

std::string utc_time_text(int64_t time_us) {
  using namespace std::chrono;
  const sys_time<microseconds> time{microseconds{time_us}};
  const sys_days day = floor<days>(time);
  const year_month_day date{day};
  const hh_mm_ss<microseconds> clock{time - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z", static_cast<int>(date.year()),
                     static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()), clock.hours().count(),
                     clock.minutes().count(), clock.seconds().count(), clock.subseconds().count());
}

std::string duration_text(int64_t duration_us) {
  const double seconds = static_cast<double>(duration_us) / 1e6;
  if (duration_us < 1000) return fmt::format("{} µs", duration_us);
  if (duration_us < 1000000) return fmt::format("{:.3f} ms", static_cast<double>(duration_us) / 1e3);
  if (seconds < 60) return fmt::format("{:.3f} s", seconds);
  const int64_t whole = duration_us / 1000000;
  if (whole < 3600) {
    return fmt::format("{} min {:06.3f} s", whole / 60, seconds - static_cast<double>(whole / 60 * 60));
  }
  return fmt::format("{} h {:02} min {:02} s", whole / 3600, whole / 60 % 60, whole % 60);
}

}  // namespace pktmask::report

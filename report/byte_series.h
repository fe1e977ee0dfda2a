#pragma once
// Bytes kept and zeroed over time (report/report_model.h, ByteSeries) in at
// most kMaxBins bins: 1 ms bins from the first packet, doubled in width
// (neighbouring pairs merged) whenever a packet falls past the last bin, so
// the series covers any capture length in flat memory.

#include <cstdint>

#include "report/report_model.h"

namespace pktmask::report {

class ByteSeriesBuilder {
 public:
  // Packets timed before the first one (reordered) count in bin 0.
  void add(int64_t time_us, const Count& bytes);
  ByteSeries take() { return std::move(series_); }

 private:
  void widen();

  bool started_ = false;
  ByteSeries series_{.start_us = 0, .bin_us = 1000, .bins = {}};
};

}  // namespace pktmask::report

#include "report/byte_series.h"

namespace pktmask::report {

void ByteSeriesBuilder::widen() {
  size_t merged = (series_.bins.size() + 1) / 2;
  for (size_t i = 0; i < merged; ++i) {
    Count sum = series_.bins[2 * i];
    if (2 * i + 1 < series_.bins.size()) {
      sum.kept += series_.bins[2 * i + 1].kept;
      sum.zeroed += series_.bins[2 * i + 1].zeroed;
    }
    series_.bins[i] = sum;
  }
  series_.bins.resize(merged);
  series_.bin_us *= 2;
}

void ByteSeriesBuilder::add(int64_t time_us, const Count& bytes) {
  if (!started_) {
    started_ = true;
    series_.start_us = time_us;
  }
  int64_t offset = time_us > series_.start_us ? time_us - series_.start_us : 0;
  while (offset / series_.bin_us >= static_cast<int64_t>(kMaxBins)) widen();
  auto bin = static_cast<size_t>(offset / series_.bin_us);
  if (bin >= series_.bins.size()) series_.bins.resize(bin + 1);
  series_.bins[bin].kept += bytes.kept;
  series_.bins[bin].zeroed += bytes.zeroed;
}

}  // namespace pktmask::report

#include "report/report_collector.h"

namespace pktmask::report {

struct ReportCollector::State {
  ReportHeader header;
};

ReportCollector::ReportCollector(const KeepRuleSet&, const PolicySettings&, const AnonSetup&, ReportHeader header)
    : state_(std::make_unique<State>(State{std::move(header)})) {}

ReportCollector::~ReportCollector() = default;

void ReportCollector::record(const MaskedRecord&) {}

Report ReportCollector::finish(const MaskStats&) { return Report{.header = state_->header}; }

}  // namespace pktmask::report

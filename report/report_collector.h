#pragma once
// Builds the Report (report/report_model.h) from the masker's pass: every
// record as masked (masker/mask_observer.h) and the KeepRuleSet the masker
// applied. It reads only the output's bytes for what still identifies, so a
// report of an original shows what the settings would leave, and a report of
// a sanitize run shows what its output holds. Memory: one row per connection
// and the bounded lists of the model; a direction's handshake bytes are held
// only until its handshake is read (report/tls_details.h).

#include <memory>

#include "common/anon/anon_setup.h"
#include "common/keep_rules.h"
#include "common/policy.h"
#include "masker/mask_observer.h"
#include "masker/mask_stats.h"
#include "report/report_model.h"

namespace pktmask::report {

class ReportCollector final : public MaskObserver {
 public:
  // `rules` must outlive the collector. `header` comes filled with what the
  // caller knows (file, policy, settings, subject, verdict); the collector
  // adds what the capture says.
  ReportCollector(const KeepRuleSet& rules, const PolicySettings& policy, const AnonSetup& anon, ReportHeader header);
  ~ReportCollector() override;
  ReportCollector(const ReportCollector&) = delete;
  ReportCollector& operator=(const ReportCollector&) = delete;

  void record(const MaskedRecord& masked) override;
  // The report, once the masker's pass is over.
  Report finish(const MaskStats& stats);

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace pktmask::report

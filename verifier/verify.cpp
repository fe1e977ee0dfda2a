#include "verifier/verify.h"

#include <filesystem>
#include <optional>

#include <fmt/format.h>

#include "verifier/compare_captures.h"
#include "verifier/tshark_opinion.h"
#include "verifier/walk_original.h"

namespace pktmask::verify {

nlohmann::json VerifyResult::to_json() const {
  nlohmann::json json = findings.to_json();
  json["tshark"] = {{"ran", tshark.has_value()}};
  if (tshark)
    json["tshark"].update({{"version", tshark->version},
                           {"frames_with_nonzero_app_data", tshark->frames_with_nonzero_app_data},
                           {"confirmed_by_walk", tshark->confirmed_by_walk},
                           {"warning_count", tshark->warning_count},
                           {"warnings", tshark->warnings}});
  return json;
}

VerifyResult verify_captures(const VerifyJob& job) {
  std::error_code ignored;
  auto status = std::filesystem::status(job.original, ignored);
  if (std::filesystem::exists(status) && !std::filesystem::is_regular_file(status))
    throw Error(ExitCode::bad_capture,
                fmt::format("{}: not a regular file (verify reads the original three times)", job.original));
  // tshark starts first and works while the original is walked.
  std::optional<TsharkOpinion> opinion;
  if (job.tshark) opinion.emplace(job.tshark_binary, job.sanitized, job.max_report);

  OriginalAddresses addresses(job.anon);
  std::vector<KeptRanges> policy = walk_original(job.original, job.torn_tail, job.policy, &addresses);
  VerifyResult result{Findings(job.max_report), std::nullopt};
  FrameHook hook;
  if (opinion) hook = [&opinion](uint64_t frame, bool leaked) { opinion->judge(frame, leaked); };
  std::optional<AddressJudge> judge;
  if (job.anon.settings.any()) judge.emplace(job.anon, addresses, KeptPayloadAddresses::fail);
  compare_captures(job.original, job.sanitized, policy, job.policy, job.torn_tail, result.findings, hook,
                   std::move(judge));
  if (opinion) {
    opinion->finish();
    result.tshark = opinion->stats();
  }
  return result;
}

}  // namespace pktmask::verify

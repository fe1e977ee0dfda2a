#include "common/truncation.h"

#include <fmt/format.h>

namespace pktmask {

nlohmann::json truncation_json(const std::optional<Truncation>& truncation) {
  if (!truncation) return {{"input_truncated_at", nullptr}, {"input_bytes_left_out", 0}};
  return {{"input_truncated_at", truncation->offset}, {"input_bytes_left_out", truncation->torn_bytes}};
}

std::optional<std::string> truncation_warning(const std::string& input, const nlohmann::json& stats) {
  auto at = stats.find("input_truncated_at");
  if (at == stats.end() || !at->is_number()) return std::nullopt;
  uint64_t left_out = stats.value("input_bytes_left_out", uint64_t{0});
  if (left_out == 0)
    return fmt::format(
        "pktmask: {}: warning: truncated at byte {} (compressed stream cut short); every complete "
        "record was kept",
        input, at->get<uint64_t>());
  return fmt::format("pktmask: {}: warning: truncated at byte {} (last record cut short); its {} bytes were left out",
                     input, at->get<uint64_t>(), left_out);
}

}  // namespace pktmask

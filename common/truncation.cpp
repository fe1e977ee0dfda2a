#include "common/truncation.h"

#include <fmt/format.h>

namespace pktmask {

nlohmann::json truncation_json(const std::optional<Truncation>& truncation) {
  if (!truncation) return {{"input_truncated_at", nullptr}, {"input_bytes_left_out", 0}};
  return {{"input_truncated_at", truncation->offset}, {"input_bytes_left_out", truncation->torn_bytes}};
}

std::optional<Truncation> truncation_from_json(const nlohmann::json& json) {
  auto at = json.find("input_truncated_at");
  if (at == json.end() || !at->is_number()) return std::nullopt;
  return Truncation{at->get<uint64_t>(), json.value("input_bytes_left_out", uint64_t{0})};
}

std::optional<std::string> truncation_warning(const std::string& input, const std::optional<Truncation>& truncation) {
  if (!truncation) return std::nullopt;
  if (truncation->torn_bytes == 0)
    return fmt::format(
        "pktmask: {}: warning: truncated at byte {} (compressed stream cut short); every complete "
        "record was kept",
        input, truncation->offset);
  return fmt::format("pktmask: {}: warning: truncated at byte {} (last record cut short); its {} bytes were left out",
                     input, truncation->offset, truncation->torn_bytes);
}

}  // namespace pktmask

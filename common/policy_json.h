#pragma once
// The settings as recorded in every output that names them (the
// KeepRuleSet's `policy`, the --stats `policy`, the capture's start event):
// {"version": 2, "profile": "default", "tls": ["handshake", ...],
//  "handshake": "full", "starttls": false, "keep_udp": [], ...,
//  "hash": "0123456789abcdef"}. Keys are the settings' names with '_' for '-'.

#include <string>

#include <nlohmann/json.hpp>

#include "common/policy.h"

namespace pktmask {

nlohmann::json policy_to_json(const PolicySettings& settings);

// Reads what policy_to_json() wrote. Throws std::invalid_argument naming the
// key on a missing key, a wrong type or a bad value, an unknown policy
// version, or a hash that is not the settings' own.
PolicySettings policy_from_json(const nlohmann::json& json);

}  // namespace pktmask

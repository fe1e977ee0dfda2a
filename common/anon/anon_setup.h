#pragma once
// Anonymization as a run applies it or a verifier expects it: the settings,
// and the key where one is at hand (a masker always has one when the
// settings anonymize; verify may judge without it).

#include <optional>

#include "common/anon/anon_key.h"
#include "common/anon/anon_settings.h"

namespace pktmask {

struct AnonSetup {
  AnonSettings settings;
  std::optional<AnonKey> key;
};

}  // namespace pktmask

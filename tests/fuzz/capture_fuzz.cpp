// libFuzzer target: a whole capture, from memory, through the stages pktmask
// runs: the native marker, then the masker with the self-check of its
// output. A bad file may only raise pktmask::Error; a self-check that
// refuses the output is a finding (the masker and the verifier disagree).
#include <cstdint>
#include <cstdlib>
#include <span>

#include "common/errors.h"
#include "marker/marker.h"
#include "masker/masker.h"
#include "verifier/self_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  pktmask::CaptureInput input = pktmask::CaptureInput::in_memory({data, size});
  try {
    pktmask::KeepRuleSet rules = pktmask::mark_native(
        {.input = input, .engine = pktmask::Engine::native, .torn_tail = pktmask::TornTail::leave_out});
    pktmask::verify::SelfCheck check(input, "/dev/null", pktmask::TornTail::leave_out, pktmask::PolicySettings{});
    pktmask::mask_capture(
        {.input = input, .output = "/dev/null", .torn_tail = pktmask::TornTail::leave_out, .check = &check}, rules);
  } catch (const pktmask::Error& e) {
    if (e.code() == pktmask::ExitCode::verification_failed) std::abort();
  }
  return 0;
}

// libFuzzer target: a whole capture file through reader, decoder, flow
// tracker, record walk and masking; bad files may only raise pktmask::Error.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <span>
#include <string>

#include "common/capture_reader.h"
#include "common/decode/decoder.h"
#include "common/errors.h"
#include "common/flow_tracker.h"
#include "marker/record_walk.h"
#include "masker/rule_index.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  char path[] = "/tmp/pktmask-fuzz-XXXXXX";
  int fd = ::mkstemp(path);
  if (fd < 0) return 0;
  if (::write(fd, data, size) != static_cast<ssize_t>(size)) {
    ::close(fd);
    ::unlink(path);
    return 0;
  }
  ::close(fd);
  try {
    pktmask::InputStream in(path);
    pktmask::CaptureReader reader(in);
    pktmask::FlowTracker tracker;
    std::vector<pktmask::RecordWalk> walks;
    pktmask::CaptureRecord record;
    while (reader.next(record)) {
      if (!record.has_packet()) continue;
      auto decoded = pktmask::decode_packet(record.packet.link_type, record.packet.data);
      if (decoded.outcome != pktmask::DecodeOutcome::tcp) continue;
      auto place = tracker.place(decoded.tcp);
      while (walks.size() <= place.direction) walks.emplace_back(tracker.directions()[walks.size()].stream_start);
      auto payload =
          std::span<uint8_t>(record.packet.data).subspan(decoded.tcp.payload_offset, decoded.tcp.payload_captured);
      walks[place.direction].feed(place.payload_start, payload);
      std::vector<pktmask::KeptRange> kept;
      for (const auto& rule : walks[place.direction].rules()) kept.push_back({rule.seq_start, rule.seq_end});
      pktmask::mask_payload(kept, place.payload_start, payload);
    }
  } catch (const pktmask::Error&) {
  }
  ::unlink(path);
  return 0;
}

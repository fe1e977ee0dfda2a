#pragma once
// The one read→decode→place loop. Every stage that reads a capture (the
// masker, both marker engines, the verifier's walk and comparison, the
// fuzzer) reads it through a PacketPipeline: the capture record by record,
// each packet decoded and counted, each TCP segment placed by the flow
// tracker, progress shown and interruption checked. Callers keep only what
// is theirs: writing, walking, comparing. A new layer, outcome or counter is
// added here (and in the decoder and DecodeCounters it calls), once, and
// every stage sees it.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "common/capture_input.h"
#include "common/capture_reader.h"
#include "common/decode/decoded_packet.h"
#include "common/decode_counters.h"
#include "common/fingerprint.h"
#include "common/flow_tracker.h"
#include "common/input_stream.h"
#include "common/progress.h"
#include "common/truncation.h"

namespace pktmask {

// One record of the capture as the pipeline hands it on.
struct DecodedRecord {
  CaptureRecord record;   // raw bytes valid (and writable) until the next read
  DecodedPacket decoded;  // meaningful for a packet record
  SegmentPlace place;     // meaningful where tcp()

  bool tcp() const { return record.has_packet() && decoded.outcome == DecodeOutcome::tcp; }
  const TcpSegment& segment() const { return decoded.tcp; }
};

struct PipelineOptions {
  TornTail torn_tail = TornTail::refuse;
  // The flow tracker's state at the start: a capture segment continues the
  // directions the previous one ended with.
  std::vector<DirectionState> carried = {};
  bool progress = false;  // on a terminal only (Progress)
  std::string progress_label = {};
  // Keep a copy of each record as read (as_read()), for a caller that edits
  // records in place but must still show the original (the self-check).
  bool copy_as_read = false;
  // Called with the capture's fingerprint as soon as it is known: before the
  // first record where the size is known up front (a regular file, bytes in
  // memory), so the wrong capture fails before any work; and again at the
  // end of input with what was really read. May throw.
  std::function<void(const Fingerprint&)> check_source = {};
};

class PacketPipeline {
 public:
  // Opens the input and reads the capture's file header; throws Error(bad_capture).
  explicit PacketPipeline(const CaptureInput& input, PipelineOptions options = {});
  PacketPipeline(const PacketPipeline&) = delete;
  PacketPipeline& operator=(const PacketPipeline&) = delete;

  // Reads the next record (decoding and placing a packet's); false at the end of the capture.
  bool next();
  // Reads on through frame number `frame` as Wireshark numbers frames
  // (frames_read()); false if the capture ends before it. current() is then that frame's record.
  bool read_through_frame(uint64_t frame);
  void read_to_end();

  DecodedRecord& current() { return current_; }
  const DecodedRecord& current() const { return current_; }
  // The current record before the caller edited it (with copy_as_read).
  const DecodedRecord& as_read() const { return as_read_; }

  const FlowTracker& tracker() const { return tracker_; }
  const DecodeCounters& counters() const { return counters_; }
  // Of the bytes read so far: the capture's once it is read to its end.
  Fingerprint fingerprint() const { return {in_.bytes_seen(), in_.head_hash()}; }
  const std::optional<Truncation>& truncation() const { return reader_.truncation(); }
  uint64_t packets_read() const { return reader_.packets_read(); }
  uint64_t frames_read() const { return reader_.frames_read(); }

 private:
  void copy_as_read();

  InputStream in_;
  std::function<void(const Fingerprint&)> check_source_;
  CaptureReader reader_;
  FlowTracker tracker_;
  DecodeCounters counters_;
  Progress progress_;
  bool copy_as_read_;
  bool ended_ = false;
  DecodedRecord current_;
  DecodedRecord as_read_;
  std::vector<uint8_t> as_read_bytes_;
};

}  // namespace pktmask

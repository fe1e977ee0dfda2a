#include <cstdlib>
#include <memory>

#include "capture/capture_options.h"
#include "capture/segment_name.h"
#include "cli/anon_options.h"
#include "cli/commands.h"
#include "cli/io_helpers.h"
#include "cli/path_clash.h"
#include "cli/policy_options.h"
#include "common/errors.h"
#include "verifier/self_check.h"

namespace pktmask::cli {

namespace {

struct CaptureArguments {
  CaptureOptions options;
  std::string compression = "none";
  std::string retain_days;
  uint64_t max_disk = 0, min_free = 0;
  bool no_promiscuous = false;
  bool no_progress = false;
  bool no_self_check = false;
  bool strict_input = false;
  PolicyArguments policy;
};

// One verifier walk carried through all the segments of the capture.
SegmentCheckFactory segment_self_check(const PolicySettings& settings, const AnonSetup& anon) {
  auto policy = std::make_shared<verify::SegmentedPolicy>(settings);
  return [policy, settings, anon](const std::string& segment, const std::vector<DirectionState>& carried,
                                  const std::string& output) {
    return std::make_unique<verify::SelfCheck>(*policy, segment, carried, output, settings, anon);
  };
}

void check(const CaptureArguments& arguments) {
  const CaptureOptions& options = arguments.options;
  if (options.live.interface.empty() == options.replay.empty())
    throw CLI::ValidationError("-i/-r", "give exactly one source: -i INTERFACE or -r FILE");
  if (!options.replay.empty() && !options.live.filter.empty())
    throw CLI::ValidationError("--filter", "applies to live capture (-i) only; filter a replay beforehand");
  if (options.events == "-" && options.stats == "-")
    throw CLI::ValidationError("--stats", "cannot share stdout with --events -");
  if (options.max_backlog == 0) throw CLI::ValidationError("--max-backlog", "must be at least 1");
  if (!options.metrics.listen.empty()) parse_listen_address(options.metrics.listen);
  if (options.metrics.file == "-") throw CLI::ValidationError("--metrics-file", "must name a file, not stdout");
  check_name_template(options.name_template);
}

}  // namespace

void add_capture(CLI::App& app, Action& action) {
  auto arguments = std::make_shared<CaptureArguments>();
  CaptureOptions& options = arguments->options;
  CLI::App* command =
      app.add_subcommand("capture", "Capture (or replay) into rotated segments, sanitizing each as it closes");
  command->footer(
      "Raw segments live in a private directory (mode 0700) only until their\n"
      "sanitized copy is written and synced; then they are deleted. Segments are\n"
      "marked with the native engine, each continuing the connection state of the\n"
      "one before, so the segments together equal 'pktmask sanitize' of one long\n"
      "capture (except for connections silent past --flow-timeout, which are then\n"
      "treated as joined mid-stream). SIGINT/SIGTERM stop gracefully (what was\n"
      "captured is sanitized); a second signal stops at once and deletes the raw\n"
      "segments.\n\n"
      "Exit status: 0, or the failure code: 100 bad options, 101-105 start failed (nothing\n"
      "left behind), 200-205 run failed (sanitized segments kept, raw deleted), 300-302\n"
      "clean-up fell short (sanitized segments safe). docs/capture.md lists each.\n"
      "SIZE takes units: 50M = 50,000,000 bytes, 50MiB = 50 x 2^20.\n\n"
      "Examples:\n"
      "  pktmask capture -i eth0 -f 'tcp port 443' -O /var/spool/traces --rotate-size 100M \\\n"
      "      --compress zstd --max-disk 20G --events /var/log/pktmask.ndjson\n"
      "  tcpdump -i eth0 -w - | pktmask capture -r - -O safe/ --rotate-seconds 300\n"
      "  pktmask capture -i eth0 -O safe/ --anonymize ip,mac --key site.key   (one mapping throughout)\n"
      "See docs/capture.md.");
  CLI::Option* interface = command->add_option("-i,--interface", options.live.interface, "Capture live from INTERFACE");
  command->add_option("-r,--read", options.replay, "Replay a capture FILE (- for stdin) instead")->excludes(interface);
  command->add_option("-f,--filter", options.live.filter, "BPF capture filter (live only), as for tcpdump");
  command->add_option("-s,--snaplen", options.live.snaplen, "Bytes to capture per packet")->capture_default_str();
  command->add_flag("--no-promiscuous", arguments->no_promiscuous, "Do not put the interface in promiscuous mode");
  command
      ->add_option("-O,--output-dir", options.output_dir, "Directory for the sanitized segments (created if missing)")
      ->required();
  command
      ->add_option("--name", options.name_template,
                   "File-name template: {index} (000001...), {time} (UTC of the first packet), {id}, {ext}")
      ->capture_default_str();
  command->add_option("--raw-dir", options.raw_parent,
                      "Where raw segments wait (a private subdirectory is made); default: the output directory");
  command->add_option("--rotate-size", options.worker.rotate_bytes, "Start a new segment before one exceeds SIZE")
      ->transform(CLI::AsSizeValue(true));
  command->add_option("--rotate-seconds", options.worker.rotate_seconds, "Start a new segment every N seconds")
      ->check(CLI::PositiveNumber);
  command->add_option("--rotate-packets", options.worker.rotate_packets, "Start a new segment every N packets")
      ->check(CLI::PositiveNumber);
  command->add_option("--duration", options.worker.duration_seconds, "Stop after N seconds")
      ->check(CLI::PositiveNumber);
  command->add_option("--max-bytes", options.worker.max_bytes, "Stop after SIZE captured")
      ->transform(CLI::AsSizeValue(true));
  command->add_option("--max-packets", options.worker.max_packets, "Stop after N packets")->check(CLI::PositiveNumber);
  command
      ->add_option("--max-backlog", options.max_backlog,
                   "Raw segments that may wait for sanitizing; one more stops the capture (exit 205)")
      ->capture_default_str();
  command
      ->add_option("--flow-timeout", options.flow_timeout_seconds,
                   "Forget a connection direction quiet for N seconds of capture time, bounding memory "
                   "(0: never; see docs/capture.md)")
      ->check(CLI::NonNegativeNumber)
      ->capture_default_str();
  command->add_option("--events", options.events, "Write NDJSON events to FILE (appended; - for stdout)");
  command->add_option("--stats", options.stats, "Write the final summary as JSON to FILE (- for stdout)");
  command->add_option("--metrics-file", options.metrics.file,
                      "Keep Prometheus metrics in FILE (*.prom for node_exporter's textfile collector)");
  command->add_option("--metrics-listen", options.metrics.listen,
                      "Serve Prometheus metrics at http://ADDRESS:PORT/metrics (no authentication: use loopback)");
  command->add_option("--compress", arguments->compression, "Compress finished segments: gzip or zstd")
      ->check(CLI::IsMember({"none", "gzip", "zstd"}))
      ->capture_default_str();
  command->add_option("--compress-level", options.compression_level, "gzip 1-9 (default 6), zstd 1-19 (default 3)");
  command->add_option("--retain-days", arguments->retain_days, "Delete sanitized segments older than N days")
      ->check(CLI::PositiveNumber);
  command
      ->add_option("--max-disk", arguments->max_disk,
                   "Keep the sanitized segments under SIZE, deleting the oldest (down to 90%)")
      ->transform(CLI::AsSizeValue(true));
  command
      ->add_option("--min-free", arguments->min_free,
                   "Keep SIZE free on the output file system, deleting the oldest segments")
      ->transform(CLI::AsSizeValue(true));
  command->add_flag("--strict-input", arguments->strict_input,
                    "Replay: fail (exit 200) on input that ends inside a record instead of leaving it out");
  command->add_flag("--no-progress", arguments->no_progress, "Never draw the status line on stderr");
  add_self_check_option(*command, arguments->no_self_check);
  add_policy_options(*command, arguments->policy, action, WithAnonymization::yes);
  command->callback([arguments, &action] {
    CaptureOptions& chosen = arguments->options;
    try {
      check(*arguments);
      chosen.compression = parse_compression(arguments->compression);
      chosen.compression_level = check_compression_level(chosen.compression, chosen.compression_level);
    } catch (const Error& e) {
      throw CLI::ValidationError(e.what());
    }
    chosen.live.promiscuous = !arguments->no_promiscuous;
    chosen.progress = !arguments->no_progress;
    if (arguments->strict_input) chosen.replay_torn_tail = TornTail::refuse;
    if (!arguments->retain_days.empty())
      chosen.retention.retain_days = std::strtod(arguments->retain_days.c_str(), nullptr);
    if (arguments->max_disk) chosen.retention.max_disk = arguments->max_disk;
    if (arguments->min_free) chosen.retention.min_free = arguments->min_free;
    action = [arguments] {
      arguments->options.policy = arguments->policy.resolve().settings;
      arguments->options.anon = masking_anon(arguments->policy, arguments->options.policy.profile);
      if (!arguments->no_self_check)
        arguments->options.self_check = segment_self_check(arguments->options.policy, arguments->options.anon);
      const CaptureOptions& given = arguments->options;
      refuse_clashing_paths(
          {{given.replay, "-r"}},
          {{given.events, "--events"}, {given.stats, "--stats"}, {given.metrics.file, "--metrics-file"}});
      if (int status = run_capture(arguments->options); status != 0) std::exit(status);
    };
  });
}

}  // namespace pktmask::cli

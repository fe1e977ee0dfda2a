#include <cctype>
#include <cstdlib>
#include <memory>

#include "capture/capture_options.h"
#include "capture/segment_name.h"
#include "cli/anon_options.h"
#include "cli/capture_config_options.h"
#include "cli/cleaner_options.h"
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
  CleanerArguments cleaner;
  std::vector<CLI::Option*> cleaner_options;
  bool no_promiscuous = false;
  bool no_progress = false;
  bool no_self_check = false;
  bool strict_input = false;
  std::string time_precision = "micro";
  PolicyArguments policy;
};

constexpr uint64_t kMinKernelBuffer = 64 << 10;
constexpr uint64_t kMaxKernelBuffer = 1 << 30;

// tcpdump's -B counts KiB: a bare number here would be 1024 times smaller than meant.
const CLI::Validator kSizeWithUnit(
    [](const std::string& value) -> std::string {
      if (value.empty() || std::isdigit(static_cast<unsigned char>(value.back())) == 0) return {};
      return "give a unit, as in 64MiB (tcpdump's -B counts KiB, a bare number here would be bytes)";
    },
    "");

// One verifier walk carried through all the segments of the capture.
SegmentCheckFactory segment_self_check(const PolicySettings& settings, const AnonSetup& anon) {
  auto policy = std::make_shared<verify::SegmentedPolicy>(settings);
  return
      [policy, settings, anon](const CaptureSegment& segment, const CaptureSegment* next, const std::string& output) {
        return std::make_unique<verify::SelfCheck>(*policy, segment, next, output, settings, anon);
      };
}

void check(const CaptureArguments& arguments) {
  const CaptureOptions& options = arguments.options;
  if (options.output_dir.empty())
    throw CLI::ValidationError("-O/--output-dir", "is required: give it, or output_dir in --config's [capture]");
  bool live = !options.live.interface.empty() || !options.live.target.empty();
  if (live == !options.replay.empty())
    throw CLI::ValidationError(
        "-i/-r", "give exactly one source: -i INTERFACE, --netns/--pid/--container (-i optional), or -r FILE");
  if (options.live.buffer_bytes < kMinKernelBuffer || options.live.buffer_bytes > kMaxKernelBuffer)
    throw CLI::ValidationError("--buffer-size", "must be between 64KiB and 1GiB");
  if (!options.replay.empty() && !options.live.filter.empty())
    throw CLI::ValidationError("--filter", "applies to live capture (-i) only; filter a replay beforehand");
  if (options.events == "-" && options.stats == "-")
    throw CLI::ValidationError("--stats", "cannot share stdout with --events -");
  if (options.max_backlog == 0) throw CLI::ValidationError("--max-backlog", "must be at least 1");
  // The segment held for the look-ahead counts: the next one must fit beside it.
  if (options.hold_seconds > 0 && options.max_backlog < 2)
    throw CLI::ValidationError("--max-backlog", "must be at least 2 with the look-ahead (or --hold-seconds 0)");
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
      "left behind), 200-205 run failed (sanitized segments kept, raw deleted). Clean-up\n"
      "failures (300-302) are events only. docs/capture.md lists each.\n"
      "SIZE takes units: 50M = 50,000,000 bytes, 50MiB = 50 x 2^20.\n\n"
      "Examples:\n"
      "  pktmask capture -i eth0 -f 'tcp port 443' -O /var/spool/traces --rotate-size 100M \\\n"
      "      --compress zip --max-disk 20G --events /var/log/pktmask.ndjson\n"
      "  pktmask capture -i eth0 -O /var/spool/traces --config /etc/pktmask/capture.toml   (SIGHUP re-reads\n"
      "      its retention and compression)\n"
      "  tcpdump -i eth0 -w - | pktmask capture -r - -O safe/ --rotate-seconds 300\n"
      "  pktmask capture --container 3f2a9c81d0e4 -f 'tcp port 443' -O safe/   (any interface inside it)\n"
      "  pktmask capture -i eth0 -O safe/ --anonymize ip,mac --key site.key   (one mapping throughout)\n"
      "See docs/capture.md.");
  CLI::Option* interface =
      command->add_option("-i,--interface", options.live.interface,
                          "Capture live from INTERFACE (in the target's network namespace; there, default any)");
  CLI::Option* replay = command->add_option("-r,--read", options.replay, "Replay a capture FILE (- for stdin) instead")
                            ->excludes(interface);
  CLI::Option* netns = command->add_option("--netns", options.live.target.netns,
                                           "Capture in this network namespace: a NAME in /run/netns, or a PATH");
  CLI::Option* pid = command
                         ->add_option("--pid", options.live.target.pid,
                                      "Capture in the network namespace of process PID; stop (exit 204) when it exits")
                         ->check(CLI::PositiveNumber);
  CLI::Option* container =
      command
          ->add_option("--container", options.live.target.container,
                       "Capture in the network namespace of container ID (12+ hex digits), found in /proc; stop (exit "
                       "204) when its init process exits")
          ->excludes(netns)
          ->excludes(pid);
  pid->excludes(netns);
  for (CLI::Option* target : {netns, pid, container}) target->excludes(replay);
  command->add_option("-f,--filter", options.live.filter, "BPF capture filter (live only), as for tcpdump");
  command->add_option("-s,--snaplen", options.live.snaplen, "Bytes to capture per packet")->capture_default_str();
  command->add_flag("--no-promiscuous", arguments->no_promiscuous, "Do not put the interface in promiscuous mode");
  command
      ->add_option("-B,--buffer-size", options.live.buffer_bytes,
                   "Kernel capture buffer SIZE (with a unit; 64KiB to 1GiB)")
      ->transform(CLI::AsSizeValue(true))
      ->transform(kSizeWithUnit)  // transform() puts it first: it sees what was typed
      ->default_str("32MiB")
      ->excludes(replay);
  command
      ->add_option("--time-precision", arguments->time_precision,
                   "Timestamps: micro, or nano (nanosecond pcap when the kernel supplies it)")
      ->check(CLI::IsMember({"micro", "nano"}))
      ->capture_default_str()
      ->excludes(replay);
  command
      ->add_option("-O,--output-dir", options.output_dir,
                   "Directory for the sanitized segments (created if missing); required, here or in --config");
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
      ->add_option("--hold-seconds", options.hold_seconds,
                   "Look-ahead: a closed segment waits up to N seconds for the next one, whose retransmissions "
                   "may repair its losses (0: sanitize each at once; see docs/capture.md)")
      ->check(CLI::NonNegativeNumber)
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
  command->add_option("--key-name", options.key_name,
                      "Free text carried as `key` by every event; default: OUTDIR as given");
  command->add_option("--heartbeat", options.heartbeat_seconds, "Heartbeat events every N seconds, packets or not")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  command
      ->add_option("--stop-timeout", options.stop_timeout_seconds,
                   "After SIGINT/SIGTERM, exit 202 (raw data deleted) if stopping takes longer than N seconds")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  arguments->cleaner_options = add_cleaner_options(*command, arguments->cleaner);
  command->add_flag("--strict-input", arguments->strict_input,
                    "Replay: fail (exit 200) on input that ends inside a record instead of leaving it out");
  command->add_flag("--no-progress", arguments->no_progress, "Never draw the status line on stderr");
  add_self_check_option(*command, arguments->no_self_check,
                        "a segment that leaks is not published and the run ends with exit 1");
  add_policy_options(*command, arguments->policy, action, WithAnonymization::yes);
  command->callback([arguments, command, &action] {
    CaptureOptions& chosen = arguments->options;
    const std::string& config = arguments->policy.config;
    std::vector<GivenOption> on_command_line;
    for (const CLI::Option* option : arguments->cleaner_options)
      if (option->count() > 0) on_command_line.emplace_back(option->get_name(), option->results());
    int64_t config_time = 0;
    try {
      if (!config.empty()) {
        CaptureConfig file = read_capture_config(config);
        apply_capture_config(*command, file.entries);
        config_time = file.mtime_usec;
        chosen.reread_cleaner = [config, on_command_line] { return reread_cleaner_settings(config, on_command_line); };
      }
      check(*arguments);
      chosen.cleaner = cleaner_settings(arguments->cleaner);
    } catch (const Error& e) {
      throw CLI::ValidationError(e.what());
    }
    chosen.live.promiscuous = !arguments->no_promiscuous;
    if (chosen.live.interface.empty() && !chosen.live.target.empty()) chosen.live.interface = "any";
    if (arguments->time_precision == "nano") chosen.live.precision = TimePrecision::nano;
    chosen.progress = !arguments->no_progress;
    if (arguments->strict_input) chosen.replay_torn_tail = TornTail::refuse;
    action = [arguments, config_time] {
      arguments->options.policy = arguments->policy.resolve().settings;
      arguments->options.anon = masking_anon(arguments->policy, arguments->options.policy.profile);
      if (!arguments->no_self_check)
        arguments->options.self_check = segment_self_check(arguments->options.policy, arguments->options.anon);
      // Taken last, so that it holds the resolved policy and anonymization too.
      arguments->options.config = make_config_snapshot(arguments->options, config_time);
      const CaptureOptions& given = arguments->options;
      refuse_clashing_paths(
          {{given.replay, "-r"}},
          {{given.events, "--events"}, {given.stats, "--stats"}, {given.metrics.file, "--metrics-file"}});
      if (int status = run_capture(arguments->options); status != 0) std::exit(status);
    };
  });
}

}  // namespace pktmask::cli

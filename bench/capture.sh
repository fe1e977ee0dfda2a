#!/usr/bin/env bash
# capture.sh [CAPTURE]
#
# Times the live-capture pipeline on a replay against the issue's targets:
# "Replaying a >= 500 MB TLS capture through `pktmask capture -r` with 50 MB
# segments: sustained at least 125 MB/s (1 Gbit/s) on 2 cores, and the
# backlog of raw segments never exceeds 2; peak RSS under 200 MB regardless
# of capture length."
#
# 1. Runs `pktmask capture -r CAPTURE --rotate-size 50M --max-backlog 2` (with
#    the look-ahead, the default; the cleaner's archiving and free-space
#    retention off, `--compress none --disk-threshold 0`, so that the segments
#    stay to be checked and the pipeline alone is timed) and, as baselines, the same with
#    `--hold-seconds 0` (no look-ahead), `cat`, `editcap` and
#    `pktmask sanitize --engine native`,
#    REPEAT times each, side by side (one round runs every command once, so a
#    noisy moment on a shared machine hits them all alike), each under
#    /usr/bin/time -v with a warm page cache and no pending writeback (sync
#    before every run). Reports the median wall time, MB/s (capture size /
#    wall time), the time ratio to sanitize and editcap, the peak RSS, and the
#    capture's max_backlog (from --stats).
# 2. Checks the result once: the sanitized segments, merged in segment order
#    (from the events), hold exactly the packets of the one-file sanitize
#    output. Both sides are rewritten by the same `mergecap -a -F nsecpcap`,
#    so container differences (file header, pcapng blocks) drop out and `cmp`
#    then compares every record: timestamp, captured and original length and
#    all data bytes, in order. Sound, and as fast as copying the file twice.
# 3. Shows that memory does not grow with capture length: one capture run
#    each on the first half of CAPTURE (editcap -r) and on CAPTURE twice
#    (the second copy shifted past the first's end with editcap -t).
# 4. Says where the time goes, from the events of the median run: how long
#    the capture thread worked and how long it waited at the backlog limit,
#    how long the sanitizer worked and how long it waited for a segment.
# 5. Prints PASS or FAIL for each target.
#
#   CAPTURE        default bench/out/big.pcap (make it with
#                  `sudo bench/make-big-capture.sh bench/out/big.pcap 500`)
#   PKTMASK        pktmask binary (default ./build/pktmask, or ./build/cli/pktmask)
#   REPEAT         runs per command (default 3)
#   SEGMENT        --rotate-size (default 50M = 50,000,000 bytes)
#   BACKLOG        --max-backlog (default 2)
#   BENCH_OUT      directory for the outputs (default: a temp dir, removed at exit)
#   BENCH_TIMEOUT  seconds allowed per single run (default 1800)
#
# Needs about 4x the capture's size free in the work directory (the capture
# doubled, and its sanitized copy). Exit status: 0 when every target is met,
# 1 when one is missed or a run fails, 2 when something is missing.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=defaults.sh
. "$(dirname -- "${BASH_SOURCE[0]}")/defaults.sh"
REPEAT=${REPEAT:-3}
SEGMENT=${SEGMENT:-50M}
BACKLOG=${BACKLOG:-2}
TARGET_MBS=125       # MB/s, 1 Gbit/s
TARGET_BACKLOG=2     # raw segments
TARGET_RSS_MB=200    # MB = 10^6 bytes

need_capture
need_tools /usr/bin/time editcap mergecap capinfos cmp python3
[[ -x $PKTMASK ]] || { echo "error: pktmask binary '$PKTMASK' not found (set PKTMASK)" >&2; exit 2; }
[[ $REPEAT =~ ^[1-9][0-9]*$ && $BACKLOG =~ ^[1-9][0-9]*$ ]] || { echo "error: REPEAT and BACKLOG must be positive integers" >&2; exit 2; }

make_workdir pktmask-bench-capture

q() { printf '%q' "$1"; }
QIN=$(q "$IN_ABS")
QPK=$(q "$PKTMASK")
QW=$(q "$WORK")
read -r _ FORMAT PACKETS DURATION < <(capinfos -M -t -c -u -T -r "$IN_ABS")

# capture_cmd INPUT NAME [ARGS]: the capture command line; it writes $WORK/NAME/
# (segments), $WORK/NAME.json (--stats) and $WORK/NAME.ndjson (--events).
capture_cmd() {
    echo "$QPK capture -r $(q "$1") -O $QW/$2 --rotate-size $SEGMENT --max-backlog $BACKLOG --compress none --disk-threshold 0 --no-progress --stats $QW/$2.json --events $QW/$2.ndjson${3:+ $3}"
}

# name | command line (run with eval) | what it writes (removed before each run)
CMDS=(
    "cat|cat $QIN > /dev/null|"
    "editcap|editcap $QIN $QW/editcap.pcap|editcap.pcap"
    "sanitize --engine native|$QPK sanitize --engine native $QIN -o $QW/sanitized.pcap --no-progress|sanitized.pcap"
    "capture -r|$(capture_cmd "$IN_ABS" capture)|capture capture.json capture.ndjson"
    "capture -r --hold-seconds 0|$(capture_cmd "$IN_ABS" capture-off "--hold-seconds 0")|capture-off capture-off.json capture-off.ndjson"
)

# stats NAME: "max_backlog exit_code segments_captured segments_sanitized
# sanitized_bytes" from $WORK/NAME.json; exits 1 unless the run was complete:
# status 0, every segment sanitized and in the output directory, no raw left.
stats() {
    python3 - "$WORK/$1.json" "$WORK/$1" <<'EOF'
import json, os, sys
s = json.load(open(sys.argv[1]))
files = os.listdir(sys.argv[2])
segments = [f for f in files if not f.startswith(".")]
problems = []
if s["exit_code"] != 0: problems.append(f"exit_code {s['exit_code']}: {s.get('error', '')}")
if s["segments_sanitized"] != s["segments_captured"]:
    problems.append(f"{s['segments_captured']} segments captured, {s['segments_sanitized']} sanitized")
if len(segments) != s["segments_sanitized"]: problems.append(f"{len(segments)} files in the output directory")
if len(files) != len(segments): problems.append("raw segments left behind")
if problems: sys.exit("; ".join(problems))
print(s["max_backlog"], s["exit_code"], s["segments_captured"], s["segments_sanitized"], s["sanitized_bytes"])
EOF
}

# run_once NAME CMDLINE OUTPUTS...: removes OUTPUTS, warms the cache, syncs,
# then timed_run; on failure shows the stderr tail and exits 1.
run_once() {
    local name=$1 cmd=$2 rc=0 out
    shift 2
    for out in "$@"; do rm -rf "${WORK:?}/$out"; done
    cat "$IN_ABS" >/dev/null
    sync
    timed_run "$cmd" || rc=$?
    if ((rc != 0)); then
        echo "error: $name failed (exit $rc); stderr tail:" >&2
        tail -n 5 "$WORK/stderr.txt" | sed 's/^/[bench]   /' >&2
        exit 1
    fi
}

mbs() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.1f", b / 1e6 / t }'; }
rss_mb() { awk -v k="$1" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }'; }

print_machine
print_capture
echo "- load average before the runs: $(cut -d" " -f1-3 /proc/loadavg)"
echo

# --- 1. timing -----------------------------------------------------------------------
declare -A WALLS=() CPUS=() PEAK=() MED=()
CAP_BACKLOG=() CAP_RUNS=() OFF_BACKLOG=()
for ((r = 1; r <= REPEAT; r++)); do
    for entry in "${CMDS[@]}"; do
        IFS='|' read -r name cmd outs <<<"$entry"
        # shellcheck disable=SC2086  # outs: a list of names
        run_once "$name" "$cmd" $outs
        WALLS[$name]+="$RUN_WALL "
        CPUS[$name]+="$RUN_CPU "
        ((RUN_RSS > ${PEAK[$name]:-0})) && PEAK[$name]=$RUN_RSS
        extra=""
        if [[ $name == "capture -r" ]]; then
            read -r backlog _ segs _ _ < <(stats capture) || { echo "error: capture run $r incomplete" >&2; exit 1; }
            CAP_BACKLOG+=("$backlog")
            CAP_RUNS+=("$RUN_WALL")
            cp "$WORK/capture.ndjson" "$WORK/events-$r.ndjson"
            extra=", $segs segments, max backlog $backlog"
        elif [[ $name == "capture -r --hold-seconds 0" ]]; then
            read -r backlog _ segs _ _ < <(stats capture-off) || { echo "error: capture run $r incomplete" >&2; exit 1; }
            OFF_BACKLOG+=("$backlog")
            extra=", $segs segments, max backlog $backlog"
        fi
        echo "[bench] $name: run $r: ${RUN_WALL}s, RSS $((RUN_RSS / 1024)) MiB$extra" >&2
    done
done
for entry in "${CMDS[@]}"; do
    name=${entry%%|*}
    # shellcheck disable=SC2086  # a list of numbers
    MED[$name]=$(printf '%s\n' ${WALLS[$name]} | median)
done
CAP_T=${MED["capture -r"]}
CAP_MBS=$(mbs "$SIZE" "$CAP_T")
CAP_RSS=${PEAK["capture -r"]}
MAX_BACKLOG=$(printf '%s\n' "${CAP_BACKLOG[@]}" | sort -n | tail -1)
ratio() { awk -v t="$1" -v b="$2" 'BEGIN { printf "%.2fx", t / b }'; }

echo "## Results (median of $REPEAT runs, side by side, warm page cache)"
echo
echo "MB/s = capture size / median wall time. \"vs\" columns: time ratios (below 1"
echo "is faster). CPU s = user + system (median), peak RSS = the largest of the runs."
echo
echo "| command | median s | MB/s | vs sanitize --engine native | vs editcap | CPU s | peak RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for entry in "${CMDS[@]}"; do
    name=${entry%%|*}
    t=${MED[$name]}
    # shellcheck disable=SC2086  # a list of numbers
    printf '| %s | %.3f | %s | %s | %s | %.2f | %s |\n' "$name" "$t" "$(mbs "$SIZE" "$t")" \
        "$(ratio "$t" "${MED["sanitize --engine native"]}")" "$(ratio "$t" "${MED[editcap]}")" \
        "$(printf '%s\n' ${CPUS[$name]} | median)" "$(rss_mb "${PEAK[$name]}")"
done
echo
echo "capture -r: max_backlog per run: ${CAP_BACKLOG[*]}; with --hold-seconds 0: ${OFF_BACKLOG[*]} (--max-backlog $BACKLOG)."
echo

# --- 2. the segments equal the one-file sanitize output ---------------------------------
# Segment paths in segment order, from the file_ready events.
mapfile -t SEGS < <(python3 - "$WORK/capture.ndjson" <<'EOF'
import json, sys
done = {}
for line in open(sys.argv[1]):
    e = json.loads(line)
    if e.get("event") == "file_ready":
        for f in e["files"]: done[f["segment_index"]] = f["path"]
for k in sorted(done): print(done[k])
EOF
)
mergecap -F nsecpcap -a -w "$WORK/merged-segments.pcap" "${SEGS[@]}"
mergecap -F nsecpcap -a -w "$WORK/merged-sanitize.pcap" "$WORK/sanitized.pcap"
if cmp -s "$WORK/merged-segments.pcap" "$WORK/merged-sanitize.pcap"; then SAME=1; else SAME=0; fi
SAME_BYTES=$(stat -c %s "$WORK/merged-sanitize.pcap")
rm -f "$WORK/merged-segments.pcap" "$WORK/merged-sanitize.pcap"
echo "## Same packets as sanitize --engine native"
echo
if ((SAME)); then
    echo "The ${#SEGS[@]} segments of the last run, merged in segment order, equal the one-file"
    echo "output record for record ($PACKETS packets; both rewritten by mergecap -F nsecpcap"
    echo "and compared with cmp: $SAME_BYTES identical bytes)."
else
    echo "DIFFERENT: the ${#SEGS[@]} segments merged do not equal the one-file output."
fi
echo

# --- 3. memory against capture length --------------------------------------------------
editcap -F "$FORMAT" -r "$IN_ABS" "$WORK/half.$FORMAT" "1-$((PACKETS / 2))"
editcap -F "$FORMAT" -t "$(awk -v d="$DURATION" 'BEGIN { printf "%.6f", d + 1 }')" "$IN_ABS" "$WORK/shifted.$FORMAT"
mergecap -F "$FORMAT" -a -w "$WORK/double.$FORMAT" "$IN_ABS" "$WORK/shifted.$FORMAT"
rm -f "$WORK/shifted.$FORMAT"
declare -A S_SIZE=() S_WALL=() S_RSS=() S_BACKLOG=()
for scale in half double; do
    f=$WORK/$scale.$FORMAT
    run_once "capture -r ($scale)" "$(capture_cmd "$f" "scale-$scale")" "scale-$scale" "scale-$scale.json" "scale-$scale.ndjson"
    read -r backlog _ _ _ _ < <(stats "scale-$scale") || { echo "error: capture of the $scale capture incomplete" >&2; exit 1; }
    S_SIZE[$scale]=$(stat -c %s "$f") S_WALL[$scale]=$RUN_WALL S_RSS[$scale]=$RUN_RSS S_BACKLOG[$scale]=$backlog
    rm -rf "${WORK:?}/scale-$scale" "$f"
    echo "[bench] capture -r ($scale): ${RUN_WALL}s, RSS $((RUN_RSS / 1024)) MiB, max backlog $backlog" >&2
done
echo "## Peak RSS against capture length (capture -r, one run each)"
echo
echo "| capture | MB | wall s | MB/s | max_backlog | peak RSS MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
printf '| first half (editcap -r 1-%s) | %.1f | %.3f | %s | %s | %s |\n' "$((PACKETS / 2))" \
    "$(awk -v b="${S_SIZE[half]}" 'BEGIN { print b / 1e6 }')" "${S_WALL[half]}" "$(mbs "${S_SIZE[half]}" "${S_WALL[half]}")" \
    "${S_BACKLOG[half]}" "$(rss_mb "${S_RSS[half]}")"
printf '| whole (median run; RSS: peak of %s) | %.1f | %.3f | %s | %s | %s |\n' "$REPEAT" "$SIZE_MB" "$CAP_T" "$CAP_MBS" \
    "$MAX_BACKLOG" "$(rss_mb "$CAP_RSS")"
printf '| twice (mergecap -a, 2nd copy shifted) | %.1f | %.3f | %s | %s | %s |\n' \
    "$(awk -v b="${S_SIZE[double]}" 'BEGIN { print b / 1e6 }')" "${S_WALL[double]}" "$(mbs "${S_SIZE[double]}" "${S_WALL[double]}")" \
    "${S_BACKLOG[double]}" "$(rss_mb "${S_RSS[double]}")"
echo

# --- 4. where the time goes -------------------------------------------------------------
# The median run's events. The capture thread opens segment k as soon as it
# closes k-1, but first waits until at most BACKLOG closed segments are left
# unsanitized, i.e. until the sanitizer has finished segment k-BACKLOG.
MEDIAN_RUN=1
for ((r = 1; r <= REPEAT; r++)); do
    awk -v a="${CAP_RUNS[r - 1]}" -v b="${CAP_RUNS[MEDIAN_RUN - 1]}" -v m="$CAP_T" \
        'BEGIN { exit !((a - m) ^ 2 < (b - m) ^ 2) }' && MEDIAN_RUN=$r
done
echo "## Where the time goes (events of capture run $MEDIAN_RUN, ${CAP_RUNS[MEDIAN_RUN - 1]} s)"
echo
python3 - "$WORK/events-$MEDIAN_RUN.ndjson" "$BACKLOG" <<'EOF'
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
backlog = int(sys.argv[2])
t0 = events[0]["ts_usec"]
t = lambda e: (e["ts_usec"] - t0) / 1e6
closed, size, started, done = {}, {}, {}, {}
capture_start = capture_end = None
for e in events:
    src, kind = e.get("source"), e.get("event")
    if src == "capture" and kind == "started": capture_start = t(e)
    if src == "capture" and kind in ("capture_ended", "capture_failed"): capture_end = t(e)
    if src == "capture" and kind == "raw_closed": closed[e["segment"]] = t(e); size[e["segment"]] = e["bytes"]
    if src == "sanitizer" and kind == "sanitize_started": started[e["segment"]] = t(e)
    if src == "sanitizer" and kind == "file_ready": done[e["segment"]] = t(e)
end = t(events[-1])
n = len(closed)
blocked = sum(max(0.0, done[k - backlog] - closed[k - 1]) for k in range(backlog + 1, n + 1))
last_close = closed[n]
capture_busy = last_close - capture_start - blocked
# The sanitizer works from each of its reports to the next when that one is a
# file_ready: started k -> file_ready k without the look-ahead; with it,
# started k+1 (marked) -> file_ready k (masked with k+1 as its look-ahead).
# Marking the first segment, which is reported by nothing, counts as waiting.
reports = [(t(e), e.get("event")) for e in events if e.get("source") == "sanitizer" and e.get("event") in ("sanitize_started", "file_ready")]
work = [b[0] - a[0] for a, b in zip(reports, reports[1:]) if b[1] == "file_ready"]
sanitize_busy = sum(work)
total = sum(size.values()) / 1e6
row = lambda what, s, mbs="": print(f"| {what} | {s:.3f} | {100 * s / end:.0f}% | {mbs} |")
print(f"Event span {end:.3f} s (the process's start-up and exit are outside it), {n} segments of {total / n:.1f} MB.")
print()
print("| stage | s | share of the span | MB/s while working |")
print("| --- | ---: | ---: | ---: |")
row("capture thread: read + write raw segments", capture_busy, f"{total / capture_busy:.0f}")
row(f"capture thread: waiting at the backlog limit ({backlog})", blocked)
row("sanitizer: mark + mask + fsync + sha256 + delete raw", sanitize_busy, f"{total / sanitize_busy:.0f}")
row("sanitizer: waiting for a closed segment", end - sanitize_busy)
print()
per = sorted(work)
print(f"- per segment: capture {1000 * capture_busy / n:.0f} ms, sanitizer {1000 * per[len(per) // 2]:.0f} ms median "
      f"({1000 * per[0]:.0f}-{1000 * per[-1]:.0f} ms)")
print(f"- pipeline fill: the first segment closed at {closed[1]:.3f} s; drain: the last one was sanitized "
      f"{done[n] - last_close:.3f} s after it closed; the run ended at {end:.3f} s")
bottleneck = "sanitizer" if sanitize_busy > capture_busy else "capture thread"
print(f"- the slower stage: the {bottleneck} (busy {100 * max(sanitize_busy, capture_busy) / end:.0f}% of the span)")
EOF
echo

# --- 5. verdicts ------------------------------------------------------------------------
MAX_RSS=$CAP_RSS
for scale in half double; do ((S_RSS[$scale] > MAX_RSS)) && MAX_RSS=${S_RSS[$scale]}; done
for scale in half double; do ((S_BACKLOG[$scale] > MAX_BACKLOG)) && MAX_BACKLOG=${S_BACKLOG[$scale]}; done
FAILED=0
verdict() {   # TEXT MEASURED OK(0/1)
    local v=PASS
    (($3)) || { v=FAIL; FAILED=1; }
    echo "| $1 | $2 | $v |"
}
ge() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a >= b) }' && echo 1 || echo 0; }
lt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a < b) }' && echo 1 || echo 0; }
echo "## Against the targets"
echo
echo "| target | measured | |"
echo "| --- | --- | --- |"
verdict "throughput >= $TARGET_MBS MB/s (1 Gbit/s)" "$CAP_MBS MB/s (median; $(ratio "${MED["sanitize --engine native"]}" "$CAP_T") of sanitize --engine native's throughput)" \
    "$(ge "$CAP_MBS" "$TARGET_MBS")"
verdict "raw backlog never above $TARGET_BACKLOG" "max_backlog $MAX_BACKLOG (all $((REPEAT + 2)) runs)" "$(( MAX_BACKLOG <= TARGET_BACKLOG ))"
verdict "peak RSS < $TARGET_RSS_MB MB at any capture length" "$(rss_mb "${S_RSS[half]}") / $(rss_mb "$CAP_RSS") / $(rss_mb "${S_RSS[double]}") MB (half / whole / twice)" \
    "$(lt "$(rss_mb "$MAX_RSS")" "$TARGET_RSS_MB")"
verdict "segments merged = sanitize output" "$( ((SAME)) && echo "identical, ${#SEGS[@]} segments" || echo different)" "$SAME"
echo
echo "## Commands"
echo
echo "Each ran as \`timeout $BENCH_TIMEOUT /usr/bin/time -v COMMAND\` after \`cat CAPTURE > /dev/null; sync\`:"
echo
echo '```'
for entry in "${CMDS[@]}"; do
    IFS='|' read -r _ cmd _ <<<"$entry"
    echo "$cmd"
done
echo '```'
echo
echo "Load average after the runs: $(cut -d" " -f1-3 /proc/loadavg)."
exit "$FAILED"

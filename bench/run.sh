#!/usr/bin/env bash
# run.sh [CAPTURE]
#
# Times pktmask against the cheapest tshark pass and editcap on one capture,
# side by side: every command runs REPEAT times (default 3) under
# /usr/bin/time -v with a warm page cache; the table shows the median wall
# time, throughput, the ratio to the two baselines and the peak RSS.
#
#   CAPTURE      default bench/out/big.pcap (make it with
#                `sudo bench/make-big-capture.sh bench/out/big.pcap 500`)
#   PKTMASK      pktmask binary (default ./build/pktmask, or ./build/cli/pktmask
#                when only that exists; build it first with `cmake --build build`). A pktmask command that is missing or
#                fails is reported and skipped, the run goes on.
#   REPEAT       runs per command (default 3)
#   BENCH_OUT    directory for the outputs (default: a temp dir, removed at exit)
#   BENCH_TIMEOUT  seconds allowed per single run (default 1800)
#   PKTMASK_BEFORE a second pktmask binary (say, a build of the commit before a
#                change): each pktmask command then runs with it too, right
#                after, as "NAME (before)", so a change is measured side by
#                side in one run on one noisy machine.
set -euo pipefail

. "$(dirname -- "${BASH_SOURCE[0]}")/defaults.sh"
REPEAT=${REPEAT:-3}

need_capture
need_tools /usr/bin/time tshark editcap
[[ $REPEAT =~ ^[1-9][0-9]*$ ]] || { echo "error: REPEAT must be a positive integer" >&2; exit 2; }

make_workdir pktmask-bench

q() { printf '%q' "$1"; }
QIN=$(q "$IN_ABS")
QPK=$(q "$PKTMASK")
QW=$(q "$WORK")

# name | kind | command (a shell command line, run with eval). Kind
# `feature`: a pktmask command the before-build may not know, so it is not
# paired with one (compare it with the plain row of the same run instead).
CMDS=(
    "tshark fields|baseline|tshark -r $QIN -T fields -e frame.number > /dev/null"
    "editcap|baseline|editcap $QIN $QW/editcap.pcap"
    "pktmask mark|pktmask|$QPK mark $QIN -o $QW/rules.json"
    "pktmask mask|pktmask|$QPK mask $QIN --rules $QW/rules.json -o $QW/out.pcap"
    "pktmask mask --no-self-check|pktmask|$QPK mask --no-self-check $QIN --rules $QW/rules.json -o $QW/out-unchecked.pcap"
    "pktmask sanitize|pktmask|$QPK sanitize $QIN -o $QW/sanitized.pcap"
    "pktmask sanitize --no-self-check|pktmask|$QPK sanitize --no-self-check $QIN -o $QW/sanitized-unchecked.pcap"
    "pktmask mark --engine native|pktmask|$QPK mark --engine native $QIN -o $QW/rules-native.json"
    "pktmask sanitize --engine native|pktmask|$QPK sanitize --engine native $QIN -o $QW/sanitized-native.pcap"
    "pktmask sanitize --engine native --no-self-check|pktmask|$QPK sanitize --engine native --no-self-check $QIN -o $QW/sanitized-native-unchecked.pcap"
    "pktmask sanitize --engine native --profile tls-only|pktmask|$QPK sanitize --engine native --profile tls-only $QIN -o $QW/sanitized-native-v1.pcap"
    "pktmask sanitize --engine native --no-self-check --profile tls-only|pktmask|$QPK sanitize --engine native --no-self-check --profile tls-only $QIN -o $QW/sanitized-native-v1-unchecked.pcap"
    "pktmask verify --no-tshark|pktmask|$QPK verify --no-tshark $QIN $QW/sanitized-native.pcap"
    "pktmask sanitize --engine native --anonymize ip,mac|feature|$QPK sanitize --engine native --anonymize ip,mac --key $QW/anon.key $QIN -o $QW/sanitized-native-anon.pcap"
    "pktmask sanitize --engine native --no-self-check --anonymize ip,mac|feature|$QPK sanitize --engine native --no-self-check --anonymize ip,mac --key $QW/anon.key $QIN -o $QW/sanitized-native-anon-unchecked.pcap"
    "pktmask report|feature|$QPK report --engine native $QIN -o $QW/report.html --json $QW/report.json"
    "pktmask sanitize --engine native --report|feature|$QPK sanitize --engine native $QIN -o $QW/sanitized-native-report.pcap --report $QW/sanitize-report.html"
)
if [[ -n ${PKTMASK_BEFORE:-} ]]; then
    QPB=$(q "$PKTMASK_BEFORE")
    paired=()
    for entry in "${CMDS[@]}"; do
        paired+=("$entry")
        name=${entry%%|*}; rest=${entry#*|}; kind=${rest%%|*}; cmd=${rest#*|}
        # Its own outputs: a rules file the other build wrote may be refused.
        before=${cmd/#$QPK/$QPB}
        [[ $kind == pktmask ]] && paired+=("$name (before)|before|${before//$QW\//$QW/before-}")
    done
    CMDS=("${paired[@]}")
fi

# --- machine ---------------------------------------------------------------------
print_machine
print_capture

# --- timing ----------------------------------------------------------------------

declare -A MED=() RSS=() CPU=() STATUS=()
NAMES=()
ERR=$WORK/stderr.txt     # timed_run's

for entry in "${CMDS[@]}"; do
    name=${entry%%|*}; rest=${entry#*|}; kind=${rest%%|*}; cmd=${rest#*|}
    NAMES+=("$name")
    binary=$PKTMASK
    [[ $kind == before ]] && binary=$PKTMASK_BEFORE
    if [[ $kind != baseline && ! -x $binary ]]; then
        STATUS[$name]="skipped ($binary not found)"
        echo "[bench] $name: skipped, $binary not found" >&2
        continue
    fi
    cat "$IN_ABS" >/dev/null          # warm the page cache
    walls=() peak=0 cpus=()
    for ((r = 1; r <= REPEAT; r++)); do
        rm -f "$WORK/editcap.pcap" "$WORK/out.pcap" "$WORK/sanitized.pcap"
        [[ $kind != before && $name == "pktmask mark"* ]] && rm -f "$WORK/rules.json"
        [[ $kind != before && $name == "pktmask mark --engine native"* ]] && rm -f "$WORK/rules-native.json"
        rc=0
        timed_run "$cmd" || rc=$?
        if [[ $rc -ne 0 ]]; then
            STATUS[$name]="FAILED (exit $rc)"
            echo "[bench] $name: FAILED (exit $rc) on run $r; skipping it. stderr tail:" >&2
            tail -n 5 "$ERR" | sed 's/^/[bench]   /' >&2
            break
        fi
        w=$RUN_WALL rss=$RUN_RSS cpu=$RUN_CPU
        walls+=("$w"); cpus+=("$cpu")
        ((rss > peak)) && peak=$rss
        echo "[bench] $name: run $r: ${w}s, RSS $((rss / 1024)) MiB" >&2
    done
    [[ -n ${STATUS[$name]:-} ]] && continue
    STATUS[$name]=ok
    MED[$name]=$(printf '%s\n' "${walls[@]}" | median)
    CPU[$name]=$(printf '%s\n' "${cpus[@]}" | median)
    RSS[$name]=$peak
done

# --- table -----------------------------------------------------------------------

T_TS=${MED["tshark fields"]:-}
T_ED=${MED["editcap"]:-}
ratio() {   # TIME BASE
    if [[ -z $2 ]]; then echo "n/a"; return; fi
    awk -v t="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", t / b; else print "n/a" }'
}
echo "## Results (median of $REPEAT runs, warm page cache)"
echo
echo "Ratio = this command's median time / the baseline's (below 1 is faster)."
echo "MB/s = capture size / median wall time (measured around the command, us"
echo "resolution). CPU s = user + system (median) and peak RSS = largest"
echo "\"Maximum resident set size\" over the runs, both from /usr/bin/time -v."
echo
before_col=""
[[ -n ${PKTMASK_BEFORE:-} ]] && before_col=" vs before |"
echo "| command | median s | MB/s | vs tshark fields | vs editcap | CPU s | peak RSS MB |$before_col"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |${before_col:+ ---: |}"
for name in "${NAMES[@]}"; do
    if [[ ${STATUS[$name]} != ok ]]; then
        echo "| $name | ${STATUS[$name]} | | | | | |"
        continue
    fi
    t=${MED[$name]}
    mbs=$(awk -v s="$SIZE" -v t="$t" 'BEGIN { if (t > 0) printf "%.1f", s / 1e6 / t; else print "inf" }')
    rss=$(awk -v k="${RSS[$name]}" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }')
    vs_before=""
    [[ -n $before_col ]] && vs_before=" $(ratio "$t" "${MED["$name (before)"]:-}") |"
    printf '| %s | %.3f | %s | %s | %s | %.2f | %s |%s\n' "$name" "$t" "$mbs" "$(ratio "$t" "$T_TS")" "$(ratio "$t" "$T_ED")" "${CPU[$name]}" "$rss" "$vs_before"
done
echo
echo "## Commands"
echo
echo "Each ran as \`timeout $BENCH_TIMEOUT /usr/bin/time -v COMMAND\`:"
echo
echo '```'
for entry in "${CMDS[@]}"; do
    name=${entry%%|*}; rest=${entry#*|}; cmd=${rest#*|}
    echo "$cmd"
done
echo '```'

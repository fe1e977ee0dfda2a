# shellcheck shell=bash
# Sourced by the bench scripts: the capture (first argument) and the pktmask
# binary ($PKTMASK, else build/pktmask or build/cli/pktmask), and the helpers
# they share.
HERE=$(cd "$(dirname -- "${BASH_SOURCE[1]}")" && pwd)
IN=${1:-$HERE/out/big.pcap}
if [[ -z ${PKTMASK:-} ]]; then
    PKTMASK=./build/pktmask
    [[ ! -x $PKTMASK && -x ./build/cli/pktmask ]] && PKTMASK=./build/cli/pktmask
fi
BENCH_TIMEOUT=${BENCH_TIMEOUT:-1800}

# need_capture: exits 2 unless $IN exists; sets IN_ABS, SIZE (bytes) and
# SIZE_MB (MB = 10^6 bytes).
need_capture() {
    [[ -f $IN ]] || {
        echo "error: capture '$IN' not found; make one with: sudo $HERE/make-big-capture.sh $HERE/out/big.pcap 500" >&2
        exit 2
    }
    IN_ABS=$(cd "$(dirname -- "$IN")" && pwd)/$(basename -- "$IN")
    SIZE=$(stat -L -c %s "$IN_ABS")
    SIZE_MB=$(awk -v b="$SIZE" 'BEGIN { printf "%.1f", b / 1e6 }')
}

# need_tools TOOL...: exits 2 naming the first one missing (/usr/bin/time
# stands for itself).
need_tools() {
    local t
    for t in "$@"; do
        case $t in
            /usr/bin/time) [[ -x $t ]] || { echo "error: /usr/bin/time missing (apt-get install time)" >&2; exit 2; } ;;
            tshark | editcap | mergecap | capinfos)
                command -v "$t" >/dev/null 2>&1 || { echo "error: $t missing (apt-get install tshark)" >&2; exit 2; } ;;
            *) command -v "$t" >/dev/null 2>&1 || { echo "error: $t missing" >&2; exit 2; } ;;
        esac
    done
}

# make_workdir PREFIX: WORK is $BENCH_OUT (kept) or a new /tmp/PREFIX.XXXXXX
# removed at exit, also on INT and TERM.
make_workdir() {
    WORK_MADE=""
    if [[ -n ${BENCH_OUT:-} ]]; then
        mkdir -p "$BENCH_OUT"
        WORK=$(cd "$BENCH_OUT" && pwd)
    else
        WORK=$(mktemp -d "/tmp/$1.XXXXXX")
        WORK_MADE=$WORK
    fi
    trap remove_workdir EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}
remove_workdir() { [[ -n ${WORK_MADE:-} ]] && rm -rf "$WORK_MADE"; return 0; }

cpu_model() { grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'; }

# print_machine: the "## Machine" block of a report.
print_machine() {
    echo "## Machine"
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "- nproc: $(nproc)"
    echo "- CPU: $(cpu_model)"
    echo "- memory: $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo)"
    echo "- kernel: $(uname -sr)"
    echo "- tshark/editcap: $(tshark --version 2>/dev/null | head -1)"
    if [[ -x $PKTMASK ]]; then
        echo "- pktmask: $PKTMASK ($("$PKTMASK" --version 2>/dev/null | head -2 | paste -sd " " || true))"
    else
        echo "- pktmask: $PKTMASK (not found: its commands will be skipped)"
    fi
    echo
}

# print_capture: the "## Capture" block (after need_capture).
print_capture() {
    echo "## Capture"
    echo
    echo "- file: $IN_ABS"
    echo "- size: $SIZE bytes ($SIZE_MB MB, MB = 10^6 bytes)"
    if command -v capinfos >/dev/null 2>&1; then
        capinfos -M -c -t -E "$IN_ABS" 2>/dev/null | tail -n +2 | sed 's/^/- /; s/  */ /g'
    fi
    echo
}

# parse_time FILE: /usr/bin/time -v output to "WALL_S RSS_KB CPU_S".
parse_time() {
    awk -F': ' '
        /Elapsed \(wall clock\) time/ { n = split($2, p, ":"); w = 0; for (i = 1; i <= n; i++) w = w * 60 + p[i] }
        /Maximum resident set size/   { rss = $2 }
        /User time \(seconds\)/       { cpu += $2 }
        /System time \(seconds\)/     { cpu += $2 }
        END { printf "%s %s %s\n", w, rss, cpu }' "$1"
}

# median: of the numbers on stdin, one a line.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# elapsed T0 T1: seconds between two $EPOCHREALTIME readings, 3 decimals.
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }

# timed_run CMDLINE: evals the shell command line CMDLINE as
# `timeout $BENCH_TIMEOUT /usr/bin/time -v CMDLINE`, its stderr to
# $WORK/stderr.txt. Returns its status; on success sets RUN_WALL (seconds,
# from bash's microsecond clock: /usr/bin/time only has 10 ms), RUN_RSS
# (peak resident set, kB) and RUN_CPU (user + system seconds).
timed_run() {
    local rc=0 t0 t1
    t0=$EPOCHREALTIME
    eval "timeout $BENCH_TIMEOUT /usr/bin/time -v -o $(printf %q "$WORK/time.txt") $1" 2>"$WORK/stderr.txt" || rc=$?
    t1=$EPOCHREALTIME
    ((rc == 0)) || return "$rc"
    # shellcheck disable=SC2034  # for the caller
    read -r _ RUN_RSS RUN_CPU < <(parse_time "$WORK/time.txt")
    # shellcheck disable=SC2034
    RUN_WALL=$(elapsed "$t0" "$t1")
}

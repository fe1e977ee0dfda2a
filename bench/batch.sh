#!/usr/bin/env bash
# batch.sh [CAPTURE]
#
# Times batch mode: splits CAPTURE into FILES pieces (editcap -c, equal
# packet counts), then runs `pktmask sanitize --engine native DIR -O OUT -j 1`
# and the same with -j 2, REPEAT times each with a warm page cache and no
# pending writeback (sync before each run), checks that both give
# byte-identical outputs, and prints the median and the best time of each
# and the speedups of -j 2 over -j 1 (2.0x is perfect scaling on two free
# CPUs). Other work on the machine only ever adds time, so on a shared
# machine the best run shows what the CPUs allow and the median what a user
# sees; the load average is printed with them.
#
#   CAPTURE      default bench/out/big.pcap (make it with
#                `sudo bench/make-big-capture.sh bench/out/big.pcap 500`)
#   PKTMASK      pktmask binary (default ./build/pktmask, or ./build/cli/pktmask)
#   FILES        pieces to split the capture into (default 20)
#   REPEAT       runs per -j value (default 7)
#   BENCH_OUT    directory for the pieces and outputs (default: a temp dir,
#                removed at exit)
set -euo pipefail

. "$(dirname -- "${BASH_SOURCE[0]}")/defaults.sh"
FILES=${FILES:-20}
REPEAT=${REPEAT:-7}

need_capture
[[ -x $PKTMASK ]] || { echo "error: pktmask binary '$PKTMASK' not found (set PKTMASK)" >&2; exit 2; }
need_tools editcap capinfos
[[ $FILES =~ ^[1-9][0-9]*$ && $REPEAT =~ ^[1-9][0-9]*$ ]] || { echo "error: FILES and REPEAT must be positive integers" >&2; exit 2; }

make_workdir pktmask-bench-batch

# --- the pieces --------------------------------------------------------------------
PACKETS=$(capinfos -M -c -T -r "$IN" | cut -f2)
rm -rf "$WORK/in"
mkdir -p "$WORK/in"
editcap -c $(((PACKETS + FILES - 1) / FILES)) "$IN" "$WORK/in/part.pcap"
MADE=$(find "$WORK/in" -name 'part_*.pcap' | wc -l)
BYTES=$(du -cb "$WORK/in"/part_*.pcap | tail -1 | cut -f1)
MB=$(awk -v b="$BYTES" 'BEGIN { printf "%.1f", b / 1e6 }')

echo "## Batch mode: -j 1 vs -j 2"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc: $(nproc), CPU: $(cpu_model)"
echo "- load average before the runs: $(cut -d" " -f1-3 /proc/loadavg)"
echo "- capture: $IN ($PACKETS packets), split with editcap -c into $MADE files, $MB MB in all"
echo "- pktmask: $PKTMASK ($("$PKTMASK" --version | head -2 | paste -sd " "))"
echo

# --- timing ------------------------------------------------------------------------
# -j 1 and -j 2 alternate, so a noisy moment on the machine hits both alike.
declare -A TIMES=() MED=() BEST=()
for ((r = 1; r <= REPEAT; r++)); do
    for jobs in 1 2; do
        rm -rf "$WORK/out-j$jobs"
        cat "$WORK/in"/part_*.pcap >/dev/null   # warm the page cache
        sync                                    # no earlier run's writeback in this one
        t0=$EPOCHREALTIME
        "$PKTMASK" sanitize --engine native "$WORK/in" -O "$WORK/out-j$jobs" -j "$jobs" --no-progress
        t1=$EPOCHREALTIME
        w=$(elapsed "$t0" "$t1")
        TIMES[$jobs]+="$w "
        echo "[bench] -j $jobs: run $r: ${w}s" >&2
    done
done
for jobs in 1 2; do
    MED[$jobs]=$(printf '%s\n' ${TIMES[$jobs]} | median)
    BEST[$jobs]=$(printf '%s\n' ${TIMES[$jobs]} | sort -g | head -1)
done
diff -r -q "$WORK/out-j1" "$WORK/out-j2" >/dev/null || { echo "error: -j 1 and -j 2 outputs differ" >&2; exit 1; }

speedup() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
mbs() { awk -v b="$BYTES" -v t="$1" 'BEGIN { printf "%.0f", b / 1e6 / t }'; }
echo "| command | median s (of $REPEAT) | MB/s | best s | MB/s |"
echo "| --- | ---: | ---: | ---: | ---: |"
for jobs in 1 2; do
    printf '| sanitize --engine native DIR -O OUT -j %s | %.3f | %s | %.3f | %s |\n' "$jobs" \
        "${MED[$jobs]}" "$(mbs "${MED[$jobs]}")" "${BEST[$jobs]}" "$(mbs "${BEST[$jobs]}")"
done
echo
echo "Speedup of -j 2 over -j 1: $(speedup "${MED[1]}" "${MED[2]}")x median, $(speedup "${BEST[1]}" "${BEST[2]}")x best;"
echo "outputs byte-identical. Load average after the runs: $(cut -d" " -f1-3 /proc/loadavg)."

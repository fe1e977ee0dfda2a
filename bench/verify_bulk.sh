#!/usr/bin/env bash
# verify_bulk.sh [CAPTURE]
#
# The cost of bulk verify's machinery: splits CAPTURE into FILES pieces
# (editcap -c), sanitizes them with batch mode, then times, alternating,
# REPEAT times each with a warm page cache:
#   loop   a shell loop of single `pktmask verify --no-tshark ORIG SAN`
#   -j 1   `pktmask verify --no-tshark ORIG_DIR SAN_DIR -j 1`
#   -j 2   the same with -j 2
# and prints the medians and the ratios -j 1 / loop (what pairing, the child
# per pair and the JSON hand-over cost) and loop / -j 2 (the speedup).
#
#   CAPTURE   default bench/out/big.pcap
#   PKTMASK   pktmask binary (default ./build/pktmask, or ./build/cli/pktmask)
#   FILES     pieces (default 20)
#   REPEAT    runs of each (default 5)
#   BENCH_OUT directory for the pieces and outputs (default: a temp dir, removed at exit)
set -euo pipefail

. "$(dirname -- "${BASH_SOURCE[0]}")/defaults.sh"
FILES=${FILES:-20}
REPEAT=${REPEAT:-5}

need_capture
[[ -x $PKTMASK ]] || { echo "error: pktmask binary '$PKTMASK' not found (set PKTMASK)" >&2; exit 2; }
need_tools editcap capinfos
[[ $FILES =~ ^[1-9][0-9]*$ && $REPEAT =~ ^[1-9][0-9]*$ ]] || { echo "error: FILES and REPEAT must be positive integers" >&2; exit 2; }

make_workdir pktmask-bench-verify

PACKETS=$(capinfos -M -c -T -r "$IN" | cut -f2)
rm -rf "$WORK/in" "$WORK/safe"
mkdir -p "$WORK/in"
editcap -c $(((PACKETS + FILES - 1) / FILES)) "$IN" "$WORK/in/part.pcap"
"$PKTMASK" sanitize --engine native "$WORK/in" -O "$WORK/safe" -j 2 --no-progress
MADE=$(find "$WORK/in" -name 'part_*.pcap' | wc -l)
MB=$(du -cb "$WORK/in"/part_*.pcap | tail -1 | awk '{ printf "%.1f", $1 / 1e6 }')

echo "## Bulk verify: one command per directory vs a loop of single verifies"
echo
echo "- date: $(date -u '+%Y-%m-%d %H:%M:%S UTC'), nproc: $(nproc), CPU: $(cpu_model)"
echo "- load average before the runs: $(cut -d" " -f1-3 /proc/loadavg)"
echo "- capture: $IN ($PACKETS packets), split into $MADE files, $MB MB in all"
echo "- pktmask: $PKTMASK ($("$PKTMASK" --version | head -2 | paste -sd " "))"
echo

loop() {
    local f
    for f in "$WORK"/in/part_*.pcap; do
        "$PKTMASK" verify --no-tshark "$f" "$WORK/safe/$(basename "$f")" >/dev/null
    done
}
declare -A TIMES=() MED=()
for ((r = 1; r <= REPEAT; r++)); do
    for kind in loop j1 j2; do
        cat "$WORK"/in/part_*.pcap "$WORK"/safe/part_*.pcap >/dev/null
        t0=$EPOCHREALTIME
        case $kind in
            loop) loop ;;
            j1) "$PKTMASK" verify --no-tshark "$WORK/in" "$WORK/safe" -j 1 >/dev/null ;;
            j2) "$PKTMASK" verify --no-tshark "$WORK/in" "$WORK/safe" -j 2 >/dev/null ;;
        esac
        t1=$EPOCHREALTIME
        TIMES[$kind]+="$(elapsed "$t0" "$t1") "
    done
done
for kind in loop j1 j2; do MED[$kind]=$(printf '%s\n' ${TIMES[$kind]} | median); done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "| command | median s (of $REPEAT) |"
echo "| --- | ---: |"
echo "| loop of single verify --no-tshark | ${MED[loop]} |"
echo "| verify --no-tshark ORIG_DIR SAN_DIR -j 1 | ${MED[j1]} |"
echo "| verify --no-tshark ORIG_DIR SAN_DIR -j 2 | ${MED[j2]} |"
echo
echo "-j 1 / loop: $(ratio "${MED[j1]}" "${MED[loop]}")x; loop / -j 2: $(ratio "${MED[loop]}" "${MED[j2]}")x speedup."
echo "Load average after the runs: $(cut -d" " -f1-3 /proc/loadavg)."

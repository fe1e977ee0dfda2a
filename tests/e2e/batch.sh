#!/usr/bin/env bash
# Batch mode (sanitize ... -O OUTDIR): a tree holding the real TLS samples
# and one corrupt file. Every good file's output equals single-file sanitize
# byte for byte, the corrupt one fails alone (exit 8, one line, no output),
# the JSON summary counts right, and -j 1 and -j 2 give the same files.
. "$(dirname "$0")/lib.sh"
in="$WORK/in"
mkdir -p "$in/nested/deeper"
cp "$SRC"/testdata/tls/*.pcap "$in/"
cp "$SRC/testdata/tls/tls13_openssl.pcap" "$in/nested/again.pcap"
editcap -F pcapng "$SRC/testdata/tls/tls12_openssl.pcap" "$in/nested/deeper/converted.pcapng"
echo "this is not a capture" >"$in/nested/corrupt.pcap"
echo "not a capture name, so not taken" >"$in/README.txt"
good=$(cd "$in" && find . -type f \( -name '*.pcap' -o -name '*.pcapng' \) ! -name corrupt.pcap | sed 's|^\./||' | sort)
top=$(cd "$in" && ls -- *.pcap | grep -v corrupt | sort)

for f in $good; do
  mkdir -p "$WORK/single/$(dirname "$f")"
  "$PKTMASK" sanitize --engine native "$in/$f" -o "$WORK/single/$f"
done

summary_counts() {  # summary_counts JSON GOOD_COUNT: totals, entries, per-file stats
  python3 - "$1" "$2" "$in/nested/corrupt.pcap" <<'PY'
import json, os, sys
summary, good, corrupt = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
total = summary['total']
assert (total['files'], total['ok'], total['failed']) == (good + 1, good, 1), total
assert total['bytes_in'] == sum(os.path.getsize(f['input']) for f in summary['files']), total
assert total['seconds'] > 0, total
failed = [f for f in summary['files'] if not f['ok']]
assert [f['input'] for f in failed] == [corrupt], failed
assert failed[0]['exit_code'] == 3 and corrupt in failed[0]['error'] and 'output' not in failed[0], failed
for f in summary['files']:
    if f['ok']:
        assert f['exit_code'] == 0 and f['stats']['packets'] > 0 and f['stats']['output'] == f['output'], f
        assert os.path.exists(f['output']), f
PY
}

for jobs in 1 2; do
  out="$WORK/out-j$jobs"
  expect_exit 8 "-j $jobs: one file failed" \
    "$PKTMASK" sanitize --engine native -R "$in" -O "$out" -j "$jobs" --stats "$WORK/summary-j$jobs.json"
  check "-j $jobs: the corrupt file's error is one line naming it" \
    grep -q "^pktmask: $in/nested/corrupt.pcap: " "$WORK/last.err"
  check "-j $jobs: then one summary line" test "$(wc -l <"$WORK/last.err")" = 2
  no_output "$out/nested/corrupt.pcap" "-j $jobs: corrupt file"
  check "-j $jobs: exactly the good files, at their relative paths" \
    test "$(cd "$out" && find . -type f | sed 's|^\./||' | sort)" = "$good"
  for f in $good; do
    check "-j $jobs: $f equals single-file sanitize" cmp -s "$WORK/single/$f" "$out/$f"
  done
  check "-j $jobs: summary counts" summary_counts "$WORK/summary-j$jobs.json" "$(echo "$good" | wc -l)"
done
check "-j 1 and -j 2: identical outputs" diff -r "$WORK/out-j1" "$WORK/out-j2"

# Without -R only the top level; -j 0 (one per CPU); the summary on stdout.
expect_exit 0 "no -R, -j 0" "$PKTMASK" sanitize --engine native "$in" -O "$WORK/flat" -j 0 --stats -
check "no -R: only the top-level files" test "$(ls "$WORK/flat")" = "$top"
check "--stats -: the summary on stdout" python3 -c "
import json, sys
s = json.load(open('$WORK/last.out'))
assert s['total']['failed'] == 0 and s['total']['files'] == $(echo "$top" | wc -l), s['total']
"

# Files named on the command line land under their own names; the default
# engine (tshark) is passed on to the children.
a="$SRC/testdata/tls/tls12_openssl.pcap"
b="$in/nested/deeper/converted.pcapng"
expect_exit 0 "two files, default engine" "$PKTMASK" sanitize "$a" "$b" -O "$WORK/named"
"$PKTMASK" sanitize "$b" -o "$WORK/converted.tshark.pcapng"
check "named files: default engine equals single-file" \
  cmp -s "$WORK/named/converted.pcapng" "$WORK/converted.tshark.pcapng"
check "named files: the other one" test -s "$WORK/named/tls12_openssl.pcap"

# Usage errors: exit 2, nothing started.
expect_exit 2 "several inputs need -O" "$PKTMASK" sanitize "$a" "$b" -o "$WORK/x.pcap"
expect_exit 2 "a directory needs -O" "$PKTMASK" sanitize "$in" -o "$WORK/x.pcap"
expect_exit 2 "-j needs -O" "$PKTMASK" sanitize "$a" -o "$WORK/x.pcap" -j 2
expect_exit 2 "stdin needs the single-file form" "$PKTMASK" sanitize - -O "$WORK/stdin"
expect_exit 2 "two inputs, one output name" "$PKTMASK" sanitize "$a" "$in/tls12_openssl.pcap" -O "$WORK/clash"
no_output "$WORK/clash/tls12_openssl.pcap" "two inputs, one output name"
expect_exit 2 "an output replacing its input" "$PKTMASK" sanitize "$in" -O "$in"
mkdir "$WORK/empty"
expect_exit 2 "no capture files" "$PKTMASK" sanitize "$WORK/empty" -O "$WORK/from-empty"

# SIGINT: forwarded to the children, exit 130, no partial output, no summary.
# One input is a FIFO that delivers half a capture and then stalls, so its
# child is still reading when the signal comes.
start_stalled_fifo "$WORK/stalled.pcap" "$SRC/testdata/tls/nginx_download_2mb.pcap"
"$PKTMASK" sanitize --engine native "$WORK/stalled.pcap" "$a" -O "$WORK/stopped" -j 2 --stats "$WORK/stopped.json" \
  2>"$WORK/sigint.err" &
interrupt_after_a_second $!
check "SIGINT: exit 130 (got $code)" test "$code" = 130
check "SIGINT: one line, said once" test "$(cat "$WORK/sigint.err")" = "pktmask: interrupted"
no_output "$WORK/stopped/stalled.pcap" "SIGINT"
check "SIGINT: no summary" test ! -e "$WORK/stopped.json"
finish

#!/usr/bin/env bash
# Bulk verify (verify ORIG_DIR SAN_DIR): a batch run's output tree passes as
# it is; then each planted fault (a masked byte set back, a deleted output, a
# capture no original maps to) fails it with exit 7 and names exactly the
# file at fault. The faults are located by this script's own pcap parse,
# never by pktmask.
. "$(dirname "$0")/lib.sh"
in="$WORK/in"
safe="$WORK/safe"
mkdir -p "$in/nested/deeper"
cp "$SRC"/testdata/tls/*.pcap "$in/"
cp "$SRC/testdata/tls/tls13_openssl.pcap" "$in/nested/again.pcap"
editcap -F pcapng "$SRC/testdata/tls/tls12_openssl.pcap" "$in/nested/deeper/converted.pcapng"
gzip -c "$SRC/testdata/tls/tls12_openssl.pcap" >"$in/nested/zipped.pcap.gz"
echo "not a capture name, so not paired" >"$in/README.txt"
all=$(cd "$in" && find . -type f -name '*.pcap*' | wc -l)
top=$(cd "$in" && ls -- *.pcap | wc -l)

expect_exit 0 "batch sanitize" "$PKTMASK" sanitize --engine native -R "$in" -O "$safe" -j 2
check "the .gz original's output lost its suffix" test -f "$safe/nested/zipped.pcap"
echo "not a capture name, so not judged" >"$safe/NOTES.txt"

# summary_only N: stdout is exactly the summary line for N pairs, none failed.
summary_only() { test "$(cat "$WORK/last.out")" = "$1 pairs verified, 0 failed"; }
expect_exit 0 "-R -j 2: the whole tree passes" "$PKTMASK" verify --no-tshark -R -j 2 "$in" "$safe"
check "-R -j 2: quiet but for the summary" summary_only "$all"
check "-R -j 2: nothing on stderr" test ! -s "$WORK/last.err"
expect_exit 0 "no -R, with tshark: the top level passes" "$PKTMASK" verify "$in" "$safe"
check "no -R: only the top level is paired" summary_only "$top"
# On a terminal a progress line is drawn and erased at the end; never with
# --no-progress. With tshark, one pair at a time outlasts the first redraw.
on_tty="$SRC/tests/e2e/stderr_tty.py"
expect_exit 0 "stderr on a terminal" python3 "$on_tty" "$WORK/drawn" "$PKTMASK" verify "$in" "$safe"
check "terminal: a progress line of pairs was drawn" grep -qaE "verify: [0-9]+/$top pairs, 0 failed" "$WORK/drawn"
check "terminal: the line was erased at the end" python3 -c 'import sys; assert open(sys.argv[1], "rb").read().endswith(b"\r\x1b[K")' "$WORK/drawn"
check "terminal: stdout is still only the summary" summary_only "$top"
expect_exit 0 "--no-progress on a terminal" python3 "$on_tty" "$WORK/drawn" "$PKTMASK" verify --no-progress "$in" "$safe"
check "--no-progress: nothing drawn" test ! -s "$WORK/drawn"
expect_exit 0 "-j 0 --json passes" "$PKTMASK" verify --no-tshark --json -R -j 0 "$in" "$safe"
check "--json on a pass: every pair ok, totals right" python3 - "$WORK/last.out" "$all" "$in" "$safe" <<'PY'
import json, os, sys
report, count, orig_dir, san_dir = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3], sys.argv[4]
assert report['total'] == {'pairs': count, 'ok': count, 'failed': 0, 'missing': 0, 'unmatched': 0}, report['total']
assert len(report['pairs']) == count
for pair in report['pairs']:
    assert pair['ok'] and pair['exit_code'] == 0 and pair['result']['result'] == 'ok', pair
    rel = os.path.relpath(pair['original'], orig_dir)
    want = rel[:-3] if rel.endswith('.gz') else rel
    assert pair['sanitized'] == os.path.join(san_dir, want), pair
PY

# A copy of the tree with one fault planted.
fresh_copy() { rm -rf "$WORK/$1" && cp -r "$safe" "$WORK/$1"; }

# unmask.py ORIGINAL SANITIZED: sets the first TCP payload byte the sanitizer
# zeroed back to the original's (non-zero) value. Little-endian pcap,
# Ethernet, IPv4 or IPv6 without extension headers: the committed samples.
unmask="$WORK/unmask.py"
cat >"$unmask" <<'PY'
import struct, sys
original, sanitized = open(sys.argv[1], 'rb').read(), bytearray(open(sys.argv[2], 'rb').read())
assert original[:4] == b'\xd4\xc3\xb2\xa1' and len(original) == len(sanitized)
at = 24
while at < len(original):
    caplen = struct.unpack_from('<I', original, at + 8)[0]
    frame = at + 16
    ethertype = struct.unpack_from('>H', original, frame + 12)[0]
    ip = frame + 14
    if ethertype == 0x0800 and original[ip + 9] == 6:
        tcp, end = ip + (original[ip] & 15) * 4, ip + struct.unpack_from('>H', original, ip + 2)[0]
    elif ethertype == 0x86DD and original[ip + 6] == 6:
        tcp, end = ip + 40, ip + 40 + struct.unpack_from('>H', original, ip + 4)[0]
    else:
        tcp = None
    if tcp is not None:
        payload = tcp + (original[tcp + 12] >> 4) * 4
        for i in range(payload, min(end, frame + caplen)):
            if original[i] != 0 and sanitized[i] == 0:
                sanitized[i] = original[i]
                open(sys.argv[2], 'wb').write(sanitized)
                sys.exit(0)
    at = frame + caplen
sys.exit('no masked byte found')
PY

fresh_copy leaked
check "a masked byte set back" python3 "$unmask" "$in/nested/again.pcap" "$WORK/leaked/nested/again.pcap"
expect_exit 7 "leaked byte: fails" "$PKTMASK" verify --no-tshark -R -j 2 "$in" "$WORK/leaked"
check "leaked byte: the one file named, with its counts and original" \
  test "$(grep -c . "$WORK/last.out")" = 2
check "leaked byte: its line" \
  has_line "^$WORK/leaked/nested/again.pcap: [1-9][0-9]* leaked, [0-9]+ lost, [0-9]+ structural \(original $in/nested/again.pcap\)$"
check "leaked byte: the summary" has_line "^$all pairs verified, 1 failed$"
check "leaked byte: one line on stderr" test "$(wc -l <"$WORK/last.err")" = 1

fresh_copy missing
rm "$WORK/missing/tls12_openssl.pcap"
expect_exit 7 "missing output: fails" "$PKTMASK" verify --no-tshark -R "$in" "$WORK/missing"
check "missing output: named" \
  test "$(grep -v 'pairs verified' "$WORK/last.out")" = "$WORK/missing/tls12_openssl.pcap: missing (original $in/tls12_openssl.pcap)"

fresh_copy extra
cp "$SRC/testdata/tls/tls13_openssl.pcap" "$WORK/extra/nested/deeper/stray.pcap"
expect_exit 7 "a capture without an original: fails" "$PKTMASK" verify --no-tshark -R "$in" "$WORK/extra"
check "a capture without an original: named" \
  test "$(grep -v 'pairs verified' "$WORK/last.out")" = "$WORK/extra/nested/deeper/stray.pcap: no original maps to it (no original in $in)"
check "a capture without an original: counted" has_line "^$((all + 1)) pairs verified, 1 failed$"
expect_exit 0 "without -R the stray file's directory is not looked at" "$PKTMASK" verify --no-tshark "$in" "$WORK/extra"

# All three faults at once, as JSON.
fresh_copy all
python3 "$unmask" "$in/nested/again.pcap" "$WORK/all/nested/again.pcap"
rm "$WORK/all/tls12_openssl.pcap"
cp "$SRC/testdata/tls/tls13_openssl.pcap" "$WORK/all/stray.pcapng"
expect_exit 7 "three faults, --json: fails" "$PKTMASK" verify --no-tshark --json -R -j 2 "$in" "$WORK/all"
check "--json: the three faults, each as it is, and the totals" python3 - "$WORK/last.out" "$all" "$WORK/all" <<'PY'
import json, sys
report, count, san = json.load(open(sys.argv[1])), int(sys.argv[2]), sys.argv[3]
assert report['total'] == {'pairs': count + 1, 'ok': count - 2, 'failed': 3, 'missing': 1, 'unmatched': 1}, report['total']
failed = {p['sanitized']: p for p in report['pairs'] if not p['ok']}
assert sorted(failed) == sorted([san + '/nested/again.pcap', san + '/tls12_openssl.pcap', san + '/stray.pcapng']), failed
leak = failed[san + '/nested/again.pcap']
assert leak['exit_code'] == 7 and leak['result']['leaked']['count'] >= 1 and 'leaked' in leak['error'], leak
missing = failed[san + '/tls12_openssl.pcap']
assert missing['exit_code'] is None and missing['error'] == 'missing' and missing['original'].endswith('/tls12_openssl.pcap'), missing
stray = failed[san + '/stray.pcapng']
assert stray['original'] is None and stray['exit_code'] is None, stray
PY

# A pair whose child fails otherwise: its one-line error.
fresh_copy corrupt
echo "this is not a capture" >"$WORK/corrupt/tls13_openssl.pcap"
expect_exit 7 "a corrupt output: fails" "$PKTMASK" verify --no-tshark "$in" "$WORK/corrupt"
check "a corrupt output: its child's error, the file named once" \
  has_line "^$WORK/corrupt/tls13_openssl.pcap: [^/]+ \(original $in/tls13_openssl.pcap\)$"

# SIGINT mid-run (tshark makes each pair take a while): forwarded, said once,
# no verdict.
"$PKTMASK" verify -R "$in" "$safe" >"$WORK/sigint.out" 2>"$WORK/sigint.err" &
sleep 1
kill -INT $!
code=0
wait $! || code=$?
check "SIGINT: exit 130" test "$code" = 130
check "SIGINT: one line, no verdict" test "$(cat "$WORK/sigint.err")" = "pktmask: interrupted" -a ! -s "$WORK/sigint.out"

# Bad command lines.
expect_exit 2 "a file and a directory" "$PKTMASK" verify "$in/tls12_openssl.pcap" "$safe"
expect_exit 2 "a directory and a file" "$PKTMASK" verify "$in" "$safe/tls12_openssl.pcap"
check "a directory and a file: one line naming both" grep -q "^pktmask: $in is a directory but $safe/tls12_openssl.pcap is not" "$WORK/last.err"
expect_exit 3 "no such sanitized directory" "$PKTMASK" verify "$in" "$WORK/nowhere"
check "no such directory: named" grep -q "^pktmask: $WORK/nowhere: cannot list: No such file or directory$" "$WORK/last.err"
expect_exit 3 "no such original directory" "$PKTMASK" verify "$WORK/nowhere" "$safe"
expect_exit 2 "-R with two files" "$PKTMASK" verify -R "$in/tls12_openssl.pcap" "$safe/tls12_openssl.pcap"

# The single-pair form is unchanged.
expect_exit 0 "one pair" "$PKTMASK" verify --no-tshark "$in/tls12_openssl.pcap" "$safe/tls12_openssl.pcap"
expect_exit 7 "one leaked pair" "$PKTMASK" verify --no-tshark "$in/nested/again.pcap" "$WORK/leaked/nested/again.pcap"

finish

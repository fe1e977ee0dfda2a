#!/usr/bin/env bash
# `pktmask capture -r`: the live pipeline fed from a file. The sanitized
# segments, merged, must hold exactly the packets of the whole capture
# sanitized (for the corpus: the generator's expected output); no raw segment
# may outlive a run, whatever ends it; start failures give their codes and
# leave nothing; retention and compression do what docs/capture.md says.
. "$(dirname "$0")/lib.sh"
: "${GEN_CORPUS:?set GEN_CORPUS to the corpus generator}"
"$GEN_CORPUS" "$WORK/corpus" >/dev/null
same() { python3 "$SRC/tests/e2e/same_packets.py" "$@"; }
sample=$SRC/testdata/tls/nginx_download_2mb.pcap

# capture NAME ARGS...: replay into $WORK/NAME/out with events and stats; sets $code.
# The segments stay as they are unless ARGS ask for --compress.
capture() {
  local name=$1 plain=(--compress none --disk-threshold 0)
  shift
  case " $* " in *" --compress "*) plain=() ;; esac
  rm -rf "$WORK/$name"
  mkdir -p "$WORK/$name"
  code=0
  "$PKTMASK" capture -O "$WORK/$name/out" --name '{index}.{ext}' --no-progress "${plain[@]}" \
    --events "$WORK/$name/events.ndjson" --stats "$WORK/$name/stats.json" "$@" 2>"$WORK/$name/stderr" || code=$?
}
stat_of() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$WORK/$1/stats.json" "$2"; }
no_raw_left() {  # no_raw_left NAME [DIR]: no raw directory or segment anywhere
  local left
  left=$(find "${2:-$WORK/$1}" -name '.pktmask-raw-*' -o -name 'raw-*' 2>/dev/null)
  if [ -z "$left" ]; then pass; else fail "$1: raw left behind: $left"; fi
}
merged_equals() {  # merged_equals NAME EXPECTED: the segments, in order, hold EXPECTED's packets
  local name=$1 expected=$2 ext=${2##*.}
  if ! mergecap -a -w "$WORK/$name/merged.$ext" "$WORK/$name"/out/*.pcap* 2>"$WORK/$name/mergecap.err"; then
    fail "$name: mergecap: $(head -c 200 "$WORK/$name/mergecap.err")"
    return
  fi
  check "$name: segments == whole ($(same "$WORK/$name/merged.$ext" "$expected"))" \
    same "$WORK/$name/merged.$ext" "$expected"
}

# 1. Every corpus case, cut after every packet and every second packet. In
# `reordering` a direction without a SYN has its lowest sequence number in a
# later segment, which a segment cannot look ahead to (docs/capture.md).
while IFS=$'\t' read -r name input expected _; do
  [ -n "$name" ] && [ "$name" != reordering ] || continue
  for every in 1 2; do
    capture "$name.$every" -r "$WORK/corpus/$input" --rotate-packets "$every"
    check "$name/every $every: exit 0 ($(head -c 200 "$WORK/$name.$every/stderr"))" [ "$code" = 0 ]
    merged_equals "$name.$every" "$WORK/corpus/$expected"
    no_raw_left "$name.$every"
  done
done <"$WORK/corpus/manifest.tsv"

# 2. Real TLS, by size, packets and time, file and stdin.
for file in "$SRC"/testdata/tls/*.pcap; do
  base=$(basename "$file" .pcap)
  "$PKTMASK" sanitize --engine native "$file" -o "$WORK/$base.whole.pcap"
  capture "$base.size" -r "$file" --rotate-size 30k
  check "$base/30k: exit 0" [ "$code" = 0 ]
  merged_equals "$base.size" "$WORK/$base.whole.pcap"
done
whole=$WORK/nginx_download_2mb.whole.pcap
capture stdin -r - --rotate-packets 100 <"$sample"
check "stdin: exit 0" [ "$code" = 0 ]
merged_equals stdin "$whole"
check "stdin: 20 segments" [ "$(ls "$WORK/stdin/out" | wc -l)" = 20 ]
capture seconds -r "$sample" --rotate-seconds 1
merged_equals seconds "$whole"
check "--rotate-seconds: no segment spans a second" python3 - "$WORK/seconds/out" <<'PY'
import os, subprocess, sys
for name in os.listdir(sys.argv[1]):
    times = subprocess.run(["tshark", "-r", os.path.join(sys.argv[1], name), "-T", "fields", "-e", "frame.time_epoch"],
                           capture_output=True, text=True, check=True).stdout.split()
    assert float(times[-1]) - float(times[0]) < 1.0, name
PY

# 3. Limits and the summary.
capture max_packets -r "$sample" --max-packets 300 --rotate-packets 128
check "--max-packets: reason" [ "$(stat_of max_packets reason)" = max-packets ]
check "--max-packets: 300 packets" [ "$(stat_of max_packets packets)" = 300 ]
editcap -r "$whole" "$WORK/first300.pcap" 1-300
merged_equals max_packets "$WORK/first300.pcap"
capture max_bytes -r "$sample" --max-bytes 100k
check "--max-bytes: reason" [ "$(stat_of max_bytes reason)" = max-bytes ]
check "--max-bytes: stops at the packet reaching 100 kB" python3 -c '
import json, sys; s = json.load(open(sys.argv[1])); assert 100000 <= s["bytes"] < 100000 + 1600, s["bytes"]' \
  "$WORK/max_bytes/stats.json"
check "summary: segments and backlog" python3 - "$WORK/stdin/stats.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
assert s["packets"] == 1904 and s["segments_captured"] == 20 == s["segments_sanitized"], s
assert s["exit_code"] == 0 and s["reason"] == "end of input" and 1 <= s["max_backlog"] <= 4, s
assert s["tcp_payload_bytes_masked"] > 0 and s["tcp_payload_bytes_kept"] > 0, s
PY

# 3b. Flow timeout: the download goes quiet after packet 600 for 2000 s of
# capture time; another connection comes 1000 s into the pause, in a segment of
# its own (--rotate-seconds 100), whose end is more than --flow-timeout 600
# after the download was last heard: its two directions are forgotten. The
# rest of the download is then a connection the capture joined mid-stream, so
# the segments equal the three parts, each sanitized on its own. With
# --flow-timeout 0 nothing is forgotten and they equal the whole sanitized.
t0=$(capinfos -T -r -S -a "$sample" | cut -f2)
editcap -r "$sample" "$WORK/part1.pcap" 1-600
editcap -r "$sample" "$WORK/part2.raw.pcap" 601-1904
shift_to() {  # shift_to IN OUT SECONDS-AFTER-t0: IN moved to start at t0 + SECONDS
  local start
  start=$(capinfos -T -r -S -a "$1" | cut -f2)
  editcap -t "$(awk -v a="$t0" -v s="$start" -v d="$3" 'BEGIN { printf "%.6f", a + d - s }')" "$1" "$2"
}
shift_to "$SRC/testdata/tls/tls12_openssl.pcap" "$WORK/filler.pcap" 1000
shift_to "$WORK/part2.raw.pcap" "$WORK/part2.pcap" 2000
mergecap -F pcap -a -w "$WORK/paused.pcap" "$WORK/part1.pcap" "$WORK/filler.pcap" "$WORK/part2.pcap"
for part in part1 filler part2 paused; do
  "$PKTMASK" sanitize --engine native "$WORK/$part.pcap" -o "$WORK/$part.sanitized.pcap"
done
mergecap -F pcap -a -w "$WORK/parts.sanitized.pcap" "$WORK/part1.sanitized.pcap" "$WORK/filler.sanitized.pcap" \
  "$WORK/part2.sanitized.pcap"
capture timeout -r "$WORK/paused.pcap" --rotate-seconds 100 --flow-timeout 600
check "--flow-timeout 600: exit 0" [ "$code" = 0 ]
# The download's directions go after segment 2, the other connection's after segment 3.
check "--flow-timeout 600: 4 directions forgotten" [ "$(stat_of timeout directions_forgotten)" = 4 ]
merged_equals timeout "$WORK/parts.sanitized.pcap"
capture no_timeout -r "$WORK/paused.pcap" --rotate-seconds 100 --flow-timeout 0
check "--flow-timeout 0: nothing forgotten" [ "$(stat_of no_timeout directions_forgotten)" = 0 ]
check "--flow-timeout 0: all 4 directions carried" [ "$(stat_of no_timeout directions_carried)" = 4 ]
merged_equals no_timeout "$WORK/paused.sanitized.pcap"

# 4. Events: valid NDJSON; versions rise per source; every raw segment the
# capture closed was sanitized, stored, then the manager's final event.
check "events: complete and ordered" python3 - "$WORK/stdin/events.ndjson" <<'PY'
import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
last = {}
for e in events:
    assert e["version"] > last.get(e["source"], 0), e
    last[e["source"]] = e["version"]
    assert len({e["capture_id"] for e in events}) == 1
kinds = lambda source, kind: [e["segment"] for e in events if e["source"] == source and e["event"] == kind]
assert kinds("capture", "raw_closed") == kinds("sanitizer", "file_ready") == kinds("cleaner", "stored") == list(range(1, 21))
assert events[0]["event"] == "start" and events[-1]["source"] == "manager" and events[-1]["event"] == "finished"
assert [e["event"] for e in events if e["source"] == "capture"][0] == "started"
PY

# 5. Compression: the files are the sanitized segments, compressed.
for method in gzip zstd; do
  capture "$method" -r "$sample" --rotate-packets 300 --compress "$method"
  check "$method: exit 0" [ "$code" = 0 ]
  suffix=$([ "$method" = gzip ] && echo gz || echo zst)
  check "$method: only .$suffix files" [ "$(ls "$WORK/$method/out" | grep -vc "\.pcap\.$suffix$")" = 0 ]
  mkdir -p "$WORK/$method/plain"
  for f in "$WORK/$method"/out/*; do
    "$method" -dc "$f" >"$WORK/$method/plain/$(basename "$f" ".$suffix")"
  done
  mergecap -a -w "$WORK/$method/merged.pcap" "$WORK/$method"/plain/*.pcap
  check "$method: decompressed segments == whole" same "$WORK/$method/merged.pcap" "$whole"
  check "$method: 7 compressed events" [ "$(grep -c '"event":"compressed"' "$WORK/$method/events.ndjson")" = 7 ]
done

# 6. Retention: only files the name template could have made are touched.
mkdir -p "$WORK/retain/out"
touch -d '10 days ago' "$WORK/retain/out/000900.pcap" "$WORK/retain/out/000901.pcap.gz" "$WORK/retain/out/notes.txt"
touch "$WORK/retain/out/000902.pcap"
"$PKTMASK" capture -r "$sample" -O "$WORK/retain/out" --name '{index}.{ext}' --no-progress --rotate-packets 500 \
  --compress none --retain-days 2 --events "$WORK/retain/events.ndjson"
check "--retain-days: old segments deleted, the rest kept" \
  [ "$(cd "$WORK/retain/out" && ls | tr '\n' ' ')" = "000001.pcap 000002.pcap 000003.pcap 000004.pcap 000902.pcap notes.txt " ]
capture max_disk -r "$sample" --rotate-packets 100 --max-disk 500k
check "--max-disk: exit 0" [ "$code" = 0 ]
check "--max-disk: total under the limit" [ "$(du -cb "$WORK/max_disk/out"/*.pcap | tail -1 | cut -f1)" -le 500000 ]
check "--max-disk: newest kept" [ -e "$WORK/max_disk/out/000020.pcap" ]
check "--max-disk: deleted events" grep -q '"event":"deleted"' "$WORK/max_disk/events.ndjson"
capture max_disk_small -r "$sample" --rotate-packets 1000 --max-disk 10k
check "--max-disk unmet: still exit 0 (clean-up codes are events only)" [ "$code" = 0 ]
check "--max-disk unmet: reported as code 302" grep -q '"error_code":302' "$WORK/max_disk_small/events.ndjson"

# 7. Start failures: their code, nothing left behind (not even OUT).
start_fails() {  # start_fails CODE WHAT ARGS...
  local want=$1 what=$2
  shift 2
  rm -rf "$WORK/start"
  mkdir -p "$WORK/start"
  expect_exit "$want" "start: $what" "$PKTMASK" capture --no-progress "$@"
  local left
  left=$(find "$WORK/start" -mindepth 1 ! -name events.ndjson ! -name afile ! -name notacapture 2>/dev/null)
  if [ -z "$left" ]; then pass; else fail "start: $what: left behind: $left"; fi
}
start_fails 104 "missing replay file" -r "$WORK/start/nosuch.pcap" -O "$WORK/start/a/b"
echo "not a capture" >"$WORK/start/notacapture" 2>/dev/null || true
printf 'garbage, not a capture file' >"$WORK/notacapture"
start_fails 104 "not a capture" -r "$WORK/notacapture" -O "$WORK/start/out"
check "start: one-line error names the file" grep -q "notacapture" "$WORK/last.err"
: >"$WORK/afile"
start_fails 105 "output dir is a file" -r "$sample" -O "$WORK/afile/out"
start_fails 105 "output dir unwritable" -r "$sample" -O /proc/pktmask-out
start_fails 105 "raw dir unusable" -r "$sample" -O "$WORK/start/out" --raw-dir /proc/pktmask-raw
start_fails 105 "events unwritable" -r "$sample" -O "$WORK/start/out" --events "$WORK/nosuchdir/e.ndjson"
rm -rf "$WORK/start"
mkdir -p "$WORK/start"
"$PKTMASK" capture --no-progress -r "$WORK/notacapture" -O "$WORK/start/out" --events "$WORK/start/events.ndjson" 2>/dev/null
check "start failure: a failed event with code 104" grep -q '"error_code":104' "$WORK/start/events.ndjson"
expect_exit 100 "usage: -i and -r" "$PKTMASK" capture -i lo -r "$sample" -O "$WORK/start/out"
expect_exit 100 "usage: no source" "$PKTMASK" capture -O "$WORK/start/out"
expect_exit 100 "usage: bad template" "$PKTMASK" capture -r "$sample" -O "$WORK/start/out" --name '{nope}.pcap'
expect_exit 100 "usage: bad level" "$PKTMASK" capture -r "$sample" -O "$WORK/start/out" --compress gzip --compress-level 12

# 8. Run failures: a capture cut short keeps what came before it.
head -c 700000 "$sample" >"$WORK/truncated.pcap"
capture truncated -r "$WORK/truncated.pcap" --rotate-packets 100 --strict-input
check "truncated replay, --strict-input: exit 200" [ "$code" = 200 ]
check "truncated replay: error names the file and offset" grep -q "truncated.pcap: offset" "$WORK/truncated/stderr"
check "truncated replay: segments before the cut kept" [ "$(ls "$WORK/truncated/out" | wc -l)" -ge 5 ]
no_raw_left truncated
capture truncated_ok -r "$WORK/truncated.pcap" --rotate-packets 100
check "truncated replay: exit 0 ($(head -c 200 "$WORK/truncated_ok/stderr"))" [ "$code" = 0 ]
check "truncated replay: warns" grep -q "truncated.pcap: warning: truncated at byte" "$WORK/truncated_ok/stderr"
"$PKTMASK" sanitize --engine native "$WORK/truncated.pcap" -o "$WORK/truncated.whole.pcap" 2>/dev/null
merged_equals truncated_ok "$WORK/truncated.whole.pcap"
no_raw_left truncated_ok
if [ "$(id -u)" = 0 ] && mkdir -p "$WORK/tiny" && mount -t tmpfs -o size=600k tmpfs "$WORK/tiny" 2>/dev/null; then
  capture disk_full -r "$sample" --rotate-packets 200 --raw-dir "$WORK/tiny"
  check "raw disk full: exit 201" [ "$code" = 201 ]
  check "raw disk full: says so" grep -q "No space left" "$WORK/disk_full/stderr"
  check "raw disk full: sanitized segments kept" [ "$(ls "$WORK/disk_full/out" | wc -l)" -ge 1 ]
  no_raw_left disk_full "$WORK/tiny"
  code=0
  # Without retention, which would otherwise make room (the default keeps 10 GB free).
  "$PKTMASK" capture -r "$sample" --rotate-packets 200 -O "$WORK/tiny/out" --raw-dir "$WORK/rawdisk" --no-progress \
    --compress none --disk-threshold 0 2>"$WORK/out_full.err" || code=$?
  check "output disk full: exit 201 (got $code)" [ "$code" = 201 ]
  check "output disk full: says so" grep -q "No space left" "$WORK/out_full.err"
  no_raw_left out_full "$WORK/rawdisk"
  check "output disk full: no partial segment" [ -z "$(ls -A "$WORK/tiny/out" | grep '^\.')" ]
  umount "$WORK/tiny"
else
  echo "skip: disk-full checks need root (tmpfs)"
fi

# 9. Signals: the first stops gracefully (exit 0, all sanitized), a second
# stops at once; neither leaves a raw segment.
for sig in INT TERM; do
  rm -rf "$WORK/sig$sig"
  start_stalled_fifo "$WORK/fifo$sig" "$sample"
  "$PKTMASK" capture -r "$WORK/fifo$sig" -O "$WORK/sig$sig/out" --rotate-packets 100 --no-progress \
    --stats "$WORK/sig$sig/stats.json" 2>/dev/null &
  pid=$!
  sleep 1
  kill -"$sig" "$pid"
  code=0
  wait "$pid" || code=$?
  kill "$producer" 2>/dev/null || true
  check "SIG$sig: exit 0" [ "$code" = 0 ]
  check "SIG$sig: stopped, all closed segments sanitized" python3 -c '
import json, sys; s = json.load(open(sys.argv[1]))
assert s["reason"] == "stopped" and s["segments_captured"] == s["segments_sanitized"] >= 4, s' "$WORK/sig$sig/stats.json"
  no_raw_left "sig$sig"
done
rm -rf "$WORK/twice"
start_stalled_fifo "$WORK/fifo2" "$sample"
"$PKTMASK" capture -r "$WORK/fifo2" -O "$WORK/twice/out" --rotate-packets 100 --no-progress 2>/dev/null &
pid=$!
sleep 1
kill -TERM "$pid"
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
kill "$producer" 2>/dev/null || true
check "two signals: exit 203 or 0 (got $code)" [ "$code" = 203 -o "$code" = 0 ]
no_raw_left twice
finish

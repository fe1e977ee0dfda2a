#!/usr/bin/env bash
# The capture's cleaner (docs/capture.md, "Retention and compression" and
# "Configuration"): its defaults, each option, the [capture] section of
# --config and its errors, SIGHUP, the cleaner's events and its codes 300-302.
. "$(dirname "$0")/lib.sh"
sample=$SRC/testdata/tls/nginx_download_2mb.pcap
same() { python3 "$SRC/tests/e2e/same_packets.py" "$@"; }
"$PKTMASK" sanitize --engine native "$sample" -o "$WORK/whole.pcap" 2>/dev/null
immutable=""
cleanup() { [ -z "$immutable" ] || chattr -i "$immutable" 2>/dev/null || true; }
trap cleanup EXIT

# run NAME ARGS...: replay the sample into $WORK/NAME/out (7 segments of 300
# packets); events in $WORK/NAME/events.ndjson; sets $code.
run() {
  local name=$1
  shift
  mkdir -p "$WORK/$name/out"
  code=0
  "$PKTMASK" capture -r "$sample" -O "$WORK/$name/out" --name '{index}.{ext}' --no-progress --rotate-packets 300 \
    --events "$WORK/$name/events.ndjson" "$@" 2>"$WORK/$name/stderr" || code=$?
}
# events NAME PYTHON: PYTHON runs with `ev`, the list of NAME's events.
events() {
  python3 -c "import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
$2" "$WORK/$1/events.ndjson"
}
# An exit status holds 8 bits, so the clean-up codes 300-302 are events only:
# the capture itself completed, and exits 0.
clean_failed() {  # clean_failed RUN CODE: a clean-up event carries CODE
  events "$1" "
assert any(e.get('error_code') == $2 for e in ev if e['event'] in ('compress_failed', 'clean_failed')), 'no $2'"
}
listing() { (cd "$WORK/$1/out" && ls | tr '\n' ' '); }

# 1. Defaults: one tar.gz at the end holding every segment; the events' fields.
run defaults
check "defaults: exit 0 (got $code)" [ "$code" = 0 ]
check "defaults: one archive left ($(listing defaults))" [ "$(listing defaults)" = "000001.tar.gz " ]
check "defaults: tar lists 7 segments" [ "$(tar tzf "$WORK/defaults/out/000001.tar.gz" | grep -c '^00000[1-7]\.pcap$')" = 7 ]
mkdir -p "$WORK/defaults/x"
tar xzf "$WORK/defaults/out/000001.tar.gz" -C "$WORK/defaults/x"
mergecap -a -w "$WORK/defaults/merged.pcap" "$WORK/defaults/x"/*.pcap
check "defaults: archived segments == whole" same "$WORK/defaults/merged.pcap" "$WORK/whole.pcap"
check "defaults: the cleaner's events" events defaults '
start = next(e for e in ev if e["event"] == "start")
c = start["config"]
assert (c["compress"], c["compress_level"], c["compress_threshold_mb"]) == ("tar.gz", 6, 100), c
assert (c["retain_days"], c["disk_threshold_gb"], c["clean_batch_size"], c["file_rotate_count"]) == (7, 10, 100, 0), c
assert len(start["config_hash"]) == 64 and start["config_timestamp"] == 0, start
enq = [e for e in ev if e["event"] == "file_enqueued"]
assert len(enq) == 7 and all(e["size"] > 0 and e["capture_finish_ts_usec"] > 0 and e["compress"] == "tar.gz" for e in enq), enq
stored = [e for e in ev if e["event"] == "stored"]
assert [s["pending_count"] for s in stored] == list(range(1, 8)) and all(s["success"] for s in stored), stored
assert stored[-1]["pending_bytes"] == sum(e["size"] for e in enq)
comp = [e for e in ev if e["event"] == "compressed"]
assert len(comp) == 1 and len(comp[0]["compressed_files"]) == 7, comp
assert comp[0]["archive_path"].endswith("/000001.tar.gz") and comp[0]["compressed_bytes"] > 0 and comp[0]["duration_ms"] >= 0
'

# 2. zip at a threshold: several archives, all readable by Python's zipfile.
run zip --compress zip --compress-threshold 600k --compress-level 9
check "zip: exit 0 (got $code)" [ "$code" = 0 ]
check "zip: several archives, no segment left ($(listing zip))" python3 -c '
import sys, zipfile, glob
names = sorted(glob.glob(sys.argv[1] + "/*"))
assert len(names) > 1 and all(n.endswith(".zip") for n in names), names
members = [m for n in names for m in zipfile.ZipFile(n).namelist()]
assert sorted(members) == ["%06d.pcap" % i for i in range(1, 8)], members
for n in names: assert zipfile.ZipFile(n).testzip() is None' "$WORK/zip/out"

# 3. Per-file gzip stays available.
run gzip --compress gzip
check "gzip: seven .pcap.gz ($(listing gzip))" [ "$(ls "$WORK/gzip/out" | grep -c '\.pcap\.gz$')" = 7 ]

# 4. file_rotate_count and batches: old files from before go, in batches of 2.
mkdir -p "$WORK/rotate/out"
for i in 901 902 903 904 905; do touch -d "1 hour ago" "$WORK/rotate/out/000$i.tar.gz"; done
touch -d "1 hour ago" "$WORK/rotate/out/notes.txt"
run rotate --compress none --file-rotate-count 3 --clean-batch-size 2
check "rotate: exit 0 (got $code)" [ "$code" = 0 ]
check "rotate: three newest kept, others untouched ($(listing rotate))" \
  [ "$(listing rotate)" = "000005.pcap 000006.pcap 000007.pcap notes.txt " ]
check "rotate: deleted in batches of at most 2" events rotate '
d = [e for e in ev if e["event"] == "deleted"]
assert d and all(len(e["files"]) <= 2 for e in d) and sum(len(e["files"]) for e in d) == 9, d'

# 5. --retain-days and --disk-threshold (alias --min-free) are taken.
mkdir -p "$WORK/retain/out"
touch -d "3 days ago" "$WORK/retain/out/000900.zip"
run retain --compress none --retain-days 2 --min-free 0
check "retain: the old archive deleted ($(listing retain))" [ ! -e "$WORK/retain/out/000900.zip" ]
check "retain: the segments kept" [ "$(ls "$WORK/retain/out" | wc -l)" = 7 ]

# 6. --config: the [capture] section, under the command line.
cat >"$WORK/capture.toml" <<'TOML'
profile = "default"
[capture]
rotate_packets = 500
compress = "zip"
compress_threshold_mb = 0.5
file_rotate_count = 0
retain_days = 30
disk_threshold_gb = 0.001
TOML
mkdir -p "$WORK/config/out"
code=0
"$PKTMASK" capture -r "$sample" -O "$WORK/config/out" --name '{index}.{ext}' --no-progress --config "$WORK/capture.toml" \
  --compress tar.gz --events "$WORK/config/events.ndjson" 2>"$WORK/config/stderr" || code=$?
check "config: exit 0 (got $code)" [ "$code" = 0 ]
mtime=$(python3 -c 'import os,sys; st=os.stat(sys.argv[1]); print(st.st_mtime_ns // 1000)' "$WORK/capture.toml")
check "config: file applied, command line wins, snapshot in start" events config '
start = next(e for e in ev if e["event"] == "start")
c = start["config"]
assert c["rotate_packets"] == 500 and c["compress"] == "tar.gz" and c["compress_threshold_mb"] == 0.5, c
assert c["retain_days"] == 30 and c["disk_threshold_gb"] == 0.001, c
assert start["config_timestamp"] == '"$mtime"', start
assert len([e for e in ev if e["event"] == "compressed"]) > 1'
check "config: only tar.gz archives ($(listing config))" [ -z "$(ls "$WORK/config/out" | grep -v '\.tar\.gz$')" ]

# 7. Configuration errors: exit 100, FILE:LINE: key.
printf 'profile = "default"\n[capture]\nrotate_packets = 5\nno_such_key = 1\n' >"$WORK/unknown.toml"
expect_exit 100 "config: unknown key" "$PKTMASK" capture -r "$sample" -O "$WORK/bad" --config "$WORK/unknown.toml"
check "config: unknown key named with FILE:LINE" grep -q "unknown.toml:4: no_such_key" "$WORK/last.err"
printf '[capture]\nretain_days = "seven"\n' >"$WORK/type.toml"
expect_exit 100 "config: wrong type" "$PKTMASK" capture -r "$sample" -O "$WORK/bad" --config "$WORK/type.toml"
check "config: wrong type named" grep -q "type.toml:2: retain_days: must be a number" "$WORK/last.err"
printf '[capture]\ncompress = "rar"\n' >"$WORK/value.toml"
expect_exit 100 "config: value the option refuses" "$PKTMASK" capture -r "$sample" -O "$WORK/bad" --config "$WORK/value.toml"
check "config: bad value named" grep -q "value.toml:2: compress" "$WORK/last.err"
check "config: nothing written" [ ! -e "$WORK/bad" ]
# The sample configuration of docs/ is valid as shipped: pointed at a replay
# (its interface, filter and paths replaced), OUTDIR coming from the file.
sed -e '/^interface = /d' -e '/^filter = /d' -e '/^buffer_size = /d' -e '/^events = /d' -e '/^metrics_file = /d' \
  -e "s|^output_dir = .*|output_dir = \"$WORK/sample-config/out\"|" "$SRC/docs/pktmask-capture.toml" >"$WORK/sample.toml"
expect_exit 0 "config: docs/pktmask-capture.toml" "$PKTMASK" capture -r "$sample" --no-progress --config "$WORK/sample.toml"
check "config: the sample's OUTDIR holds the archive" [ -n "$(ls "$WORK/sample-config/out"/*.tar.gz 2>/dev/null)" ]

# 8. SIGHUP: new retention applies at once; a bad file changes nothing.
mkdir -p "$WORK/hup/out"
touch -d "3 days ago" "$WORK/hup/out/000900.pcap"
printf '[capture]\ncompress = "none"\nretain_days = 7\ndisk_threshold_gb = 0\n' >"$WORK/hup.toml"
start_stalled_fifo "$WORK/hup.fifo" "$sample"
"$PKTMASK" capture -r "$WORK/hup.fifo" -O "$WORK/hup/out" --name '{index}.{ext}' --no-progress --rotate-packets 100 \
  --config "$WORK/hup.toml" --events "$WORK/hup/events.ndjson" 2>"$WORK/hup/stderr" &
pid=$!
wait_for() {  # wait_for PATTERN: until the hup events hold PATTERN (10 s)
  for _ in $(seq 100); do grep -q "$1" "$WORK/hup/events.ndjson" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
wait_for '"event":"stored"'
check "hup: the 3-day-old file kept under retain_days 7" [ -e "$WORK/hup/out/000900.pcap" ]
printf '[capture]\ncompress = "none"\nretain_days = 1\ndisk_threshold_gb = 0\nfile_rotate_count = 50\n' >"$WORK/hup.toml"
kill -HUP "$pid"
check "hup: clean_config_refresh" wait_for '"event":"clean_config_refresh"'
check "hup: the new retention deleted the old file" wait_for '000900.pcap'
check "hup: refresh carries the new settings" events hup '
r = [e for e in ev if e["event"] == "clean_config_refresh"]
assert r[0]["settings"]["retain_days"] == 1 and r[0]["settings"]["file_rotate_count"] == 50, r'
check "hup: old file gone" [ ! -e "$WORK/hup/out/000900.pcap" ]
printf '[capture]\nretain_days = [\n' >"$WORK/hup.toml"
kill -HUP "$pid"
sleep 1
check "hup: a bad file is reported with 100, the capture goes on" events hup '
r = [e for e in ev if e["event"] == "clean_config_refresh"]
assert len(r) == 2 and r[1].get("code", r[1].get("error_code")) == 100, r'
check "hup: still running" kill -0 "$pid"
kill -INT "$pid"
code=0
wait "$pid" || code=$?
kill "$producer" 2>/dev/null || true
check "hup: exit 0 after a bad reload (got $code)" [ "$code" = 0 ]

# 9. Clean-up codes. 300: the archive cannot be written (a directory in its
# way); the segments stay.
mkdir -p "$WORK/c300/out/000001.tar.gz"
run c300
check "300: exit 0, the capture completed (got $code)" [ "$code" = 0 ]
check "300: compress_failed event" events c300 '
f = [e for e in ev if e["event"] == "compress_failed"]
assert f and f[0]["error_code"] == 300 and f[0]["path"].endswith("000001.pcap"), f'
check "300: the segments stay" [ "$(ls "$WORK/c300/out" | grep -c '\.pcap$')" = 7 ]
# 301: a file that cannot be deleted (immutable, as root on a file system with attributes).
mkdir -p "$WORK/c301/out"
touch -d "3 days ago" "$WORK/c301/out/000900.pcap"
if chattr +i "$WORK/c301/out/000900.pcap" 2>/dev/null; then
  immutable=$WORK/c301/out/000900.pcap
  run c301 --compress none --retain-days 1
  check "301: exit 0, the capture completed (got $code)" [ "$code" = 0 ]
  check "301: a clean_failed event with 301" clean_failed c301 301
  check "301: says which file" grep -q "000900.pcap: cannot delete" "$WORK/c301/stderr"
  chattr -i "$immutable"
  immutable=""
else
  echo "skip: 301 needs chattr +i (root, a file system with attributes)"
fi
# 302: a limit that cannot be met: the newest segment alone is over --max-disk.
run c302 --compress none --max-disk 1k
check "302: exit 0, the capture completed (got $code)" [ "$code" = 0 ]
check "302: a clean_failed event with 302" clean_failed c302 302
check "302: the newest kept" [ -e "$WORK/c302/out/000007.pcap" ]
finish

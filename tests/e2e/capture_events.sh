#!/usr/bin/env bash
# The capture's NDJSON events against their contract: docs/capture.md,
# "Events", is the source of truth. Replay runs that end every way a run
# ends (end of input, limits, a failure, a signal, idle time with heartbeats,
# more than 100 result files) are checked by tests/e2e/check_events.py
# against the docs' tables: every field a message's table requires, nothing
# it does not list. Then what the fields say is checked against the files:
# sizes, digests, segment indexes, batches. Last, --stop-timeout: a stop
# that hangs (the event reader stopped reading) ends with 202 and no raw data.
. "$(dirname "$0")/lib.sh"
sample=$SRC/testdata/tls/nginx_download_2mb.pcap
doc=$SRC/docs/capture.md
logs=()

# capture NAME ARGS...: replay into $WORK/NAME/out with events; sets $code.
capture() {
  local name=$1
  shift
  rm -rf "$WORK/$name"
  mkdir -p "$WORK/$name"
  code=0
  "$PKTMASK" capture -O "$WORK/$name/out" --no-progress --events "$WORK/$name/events.ndjson" "$@" \
    2>"$WORK/$name/stderr" || code=$?
  logs+=("$WORK/$name/events.ndjson")
}
events_hold() {  # events_hold NAME PYTHON-EXPRESSION over `events` (a list of dicts)
  python3 -c 'import json, sys
events = [json.loads(line) for line in open(sys.argv[1])]
of = lambda name, source=None: [e for e in events if e["event"] == name and source in (None, e["source"])]
assert eval(sys.argv[2]), sys.argv[2]' "$WORK/$1/events.ndjson" "$2"
}
no_raw_left() {
  local left
  left=$(find "$WORK/$1" -name '.pktmask-raw-*' -o -name 'raw-*' 2>/dev/null)
  if [ -z "$left" ]; then pass; else fail "$1: raw left behind: $left"; fi
}

# 1. A normal run: ends at the end of input.
# Uncompressed, so that the files file_ready announced are still there to check.
capture normal -r "$sample" --rotate-packets 100 --heartbeat 1 --key-name 'site A / probe 7' --compress none --disk-threshold 0
check "normal: exit 0 ($(head -c 200 "$WORK/normal/stderr"))" [ "$code" = 0 ]
check "normal: key and one capture id" events_hold normal \
  'all(e["key"] == "site A / probe 7" for e in events) and len({e["capture_id"] for e in events}) == 1'
check "normal: start first, one finished last" events_hold normal \
  'events[0]["event"] == "start" and events[-1]["event"] == "finished" and len(of("finished")) == 1'
check "normal: versions increase by one per source" events_hold normal \
  'all([e["version"] for e in events if e["source"] == s] == list(range(1, 1 + sum(e["source"] == s for e in events))) for s in {e["source"] for e in events})'
check "normal: started names the hash start announced" events_hold normal \
  'of("started")[0]["config_hash"] == events[0]["config_hash"] and len(events[0]["config_hash"]) == 64'
check "normal: no raw path announced as ready" events_hold normal \
  'all(".pktmask-raw-" not in f["path"] for e in of("file_ready") for f in e["files"])'
check "normal: file_ready = the files, their sizes and digests" python3 - "$WORK/normal" <<'PY'
import hashlib, json, os, sys
events = [json.loads(line) for line in open(sys.argv[1] + "/events.ndjson")]
files = [f for e in events if e["event"] == "file_ready" for f in e["files"]]
assert [f["segment_index"] for f in files] == list(range(len(files))) and len(files) >= 15, files
on_disk = sorted(os.path.join(sys.argv[1], "out", name) for name in os.listdir(sys.argv[1] + "/out"))
assert sorted(f["path"] for f in files) == [os.path.abspath(p) for p in on_disk]
for f in files:
    data = open(f["path"], "rb").read()
    assert f["size"] == len(data) and f["sha256"] == hashlib.sha256(data).hexdigest(), f
last = events[-1]
assert last["result_files"] == files and last["batch"] == last["batches"] == 1, last
assert last["stats"]["packets"] == last["summary"]["packets"] > 0
assert last["finish_reason"] == "end of input" and last["exit_code"] == 0
PY
no_raw_left normal

# 2. Limits, and compression (cleaner messages).
capture limits -r "$sample" --rotate-packets 100 --max-packets 450 --compress gzip
check "limits: exit 0" [ "$code" = 0 ]
check "limits: finish_reason max-packets, 450 packets" events_hold limits \
  'events[-1]["finish_reason"] == "max-packets" and events[-1]["stats"]["packets"] == 450'
check "limits: total_segments once the capture ended" events_hold limits \
  'of("file_ready")[-1].get("total_segments") == 5'

# 3. A failure while running (a replay cut short, --strict-input: 200), and at start (104).
head -c 700000 "$sample" >"$WORK/truncated.pcap"
capture cut -r "$WORK/truncated.pcap" --rotate-packets 100 --strict-input
check "failure: exit 200" [ "$code" = 200 ]
check "failure: failed last, with error_code 200 and stats" events_hold cut \
  'events[-1]["event"] == "failed" and events[-1]["error_code"] == 200 and events[-1]["stats"]["packets"] > 0 and of("capture_failed")'
head -c 3000 /dev/urandom >"$WORK/notacapture"
capture badstart -r "$WORK/notacapture"
check "start failure: exit 104" [ "$code" = 104 ]
check "start failure: one failed event, zero stats" events_hold badstart \
  'len(events) == 1 and events[0]["error_code"] == 104 and events[0]["stats"]["packets"] == 0'

# 4. Idle, then a signal: a stream that pauses 2.5 s (progress on its next
# packet), then stalls; heartbeats come from capture and cleaner while no
# packet flows; SIGTERM ends it normally.
mkfifo "$WORK/stream"
( head -c 300000 "$sample"; sleep 2.5; tail -c +300001 "$sample" | head -c 200000; exec sleep 60 ) >"$WORK/stream" &
producer=$!
rm -rf "$WORK/signal" && mkdir -p "$WORK/signal"
"$PKTMASK" capture -r "$WORK/stream" -O "$WORK/signal/out" --rotate-packets 100 --heartbeat 1 --no-progress \
  --events "$WORK/signal/events.ndjson" 2>"$WORK/signal/stderr" &
pid=$!
logs+=("$WORK/signal/events.ndjson")
sleep 6
kill -TERM "$pid"
code=0
wait "$pid" || code=$?
kill "$producer" 2>/dev/null || true
check "signal: exit 0" [ "$code" = 0 ]
check "signal: finished, stopped" events_hold signal \
  'events[-1]["event"] == "finished" and events[-1]["finish_reason"] == "stopped" and of("stop", "signals")[0]["signal"] == "SIGTERM"'
check "signal: progress after the pause" events_hold signal 'len(of("progress")) >= 1'
check "signal: heartbeats from capture and cleaner while idle" events_hold signal \
  'len(of("heartbeat", "capture")) >= 3 and len(of("heartbeat", "cleaner")) >= 3'
check "signal: capture heartbeats carry the packets so far" events_hold signal \
  'of("heartbeat", "capture")[-1]["stats"]["packets"] == events[-1]["stats"]["packets"] > 0'
no_raw_left signal

# 5. More than 100 sanitized files: finished comes in batches of at most 100.
capture batches -r "$sample" --rotate-packets 10
check "batches: exit 0" [ "$code" = 0 ]
check "batches: finished in batches of <= 100, all files, in order" events_hold batches \
  '([e["batch"] for e in of("finished")] == list(range(1, of("finished")[0]["batches"] + 1)) >= [1, 2]
    and all(len(e["result_files"]) <= 100 and e["batches"] == len(of("finished")) for e in of("finished"))
    and [f for e in of("finished") for f in e["result_files"]] == [f for e in of("file_ready") for f in e["files"]]
    and events[-1]["event"] == "finished")'

# 6. The table-driven check of every event above against docs/capture.md.
check "every event matches docs/capture.md" python3 "$SRC/tests/e2e/check_events.py" "$doc" "${logs[@]}" \
  --require start started progress heartbeat file_ready finished failed raw_closed capture_ended capture_failed \
  sanitize_started worker_done file_enqueued stored compressed stop

# 7. --stop-timeout: the event reader stops reading (a FIFO opened but never
# read), so the manager blocks writing events and the graceful stop cannot
# finish: 2 s after SIGTERM the capture exits 202 and deletes the raw data.
mkfifo "$WORK/events.fifo"
exec 4<>"$WORK/events.fifo"
rm -rf "$WORK/timeout"
"$PKTMASK" capture -r "$sample" -O "$WORK/timeout/out" --rotate-packets 10 --no-progress --stop-timeout 2 \
  --events "$WORK/events.fifo" 2>"$WORK/timeout.err" &
pid=$!
sleep 3
check "stop-timeout: hung on its event reader" kill -0 "$pid"
check "stop-timeout: its raw directory is there" [ -n "$(find "$WORK/timeout" -name '.pktmask-raw-*')" ]
kill -TERM "$pid"
started=$SECONDS
code=0
wait "$pid" || code=$?
exec 4<&-
check "stop-timeout: exit 202 (got $code)" [ "$code" = 202 ]
check "stop-timeout: after about 2 s ($((SECONDS - started)) s)" [ $((SECONDS - started)) -le 6 ]
check "stop-timeout: says so" grep -q "stop-timeout" "$WORK/timeout.err"
no_raw_left timeout
finish

#!/usr/bin/env bash
# pktmask capture --metrics-file / --metrics-listen (docs/capture.md,
# "Monitoring"), judged by tests/e2e/prom_check.py, which shares no code with
# pktmask (and by promtool too where it is installed):
#  1. a replay's metrics file passes the checker, and its counters equal the
#     --stats summary; it ends with up 0 and the exit code;
#  2. during a slow FIFO-fed replay the file, read over and over, is always
#     complete, its counters never go back, and the HTTP endpoint answers
#     GET /metrics with a body that passes the checker (up 1), and 404 to
#     other paths;
#  3. start failures: a port in use is 105, a malformed address 100, an
#     unwritable metrics file 105; a failed start's file says up 0 and the code;
#  4. docs/pktmask-capture.service passes systemd-analyze verify;
#  5. live (root): the kernel's counters, in a network namespace of its own.
. "$(dirname "$0")/lib.sh"
sample=$SRC/testdata/tls/nginx_download_2mb.pcap
prom_check() { python3 "$SRC/tests/e2e/prom_check.py" --label key "$@"; }
have_promtool=$(command -v promtool || true)
promtool_ok() { [ -z "$have_promtool" ] || promtool check metrics <"$1" >/dev/null; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# 1. A replay: the file at the end.
mkdir -p "$WORK/replay/metrics"
code=0
"$PKTMASK" capture -r "$sample" -O "$WORK/replay/out" --rotate-packets 100 --compress gzip \
  --no-progress --stats "$WORK/replay/stats.json" --metrics-file "$WORK/replay/metrics/pktmask.prom" \
  2>"$WORK/replay/stderr" || code=$?
check "replay: exit 0 ($(head -c 200 "$WORK/replay/stderr"))" [ "$code" = 0 ]
check "replay: the file passes the checker" prom_check "$WORK/replay/metrics/pktmask.prom"
check "replay: promtool check metrics (${have_promtool:-not installed})" promtool_ok "$WORK/replay/metrics/pktmask.prom"
check "replay: only the file in its directory" [ "$(ls -A "$WORK/replay/metrics")" = pktmask.prom ]
prom_check --json "$WORK/replay/metrics/pktmask.prom" >"$WORK/replay/metrics.json"
check "replay: counters equal the --stats summary" python3 - "$WORK/replay/metrics.json" "$WORK/replay/stats.json" \
  "$WORK/replay/out" <<'PY'
import json, sys
m, s = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
key = f"key={sys.argv[3]}"
def metric(name, *labels):
    return m[name + "{" + ",".join(sorted([key, *labels])) + "}"]
pairs = {
    "pktmask_capture_packets_total": s["packets"],
    "pktmask_capture_bytes_total": s["bytes"],
    "pktmask_capture_segments_captured_total": s["segments_captured"],
    "pktmask_capture_segments_sanitized_total": s["segments_sanitized"],
    "pktmask_capture_segments_failed_total": s["segments_failed"],
    "pktmask_capture_segments_compressed_total": s["segments_compressed"],
    "pktmask_capture_segments_deleted_total": s["segments_deleted_by_retention"],
    "pktmask_capture_sanitized_bytes_total": s["sanitized_bytes"],
    "pktmask_capture_cleanup_failures_total": s["cleanup_failures"],
    "pktmask_capture_flow_directions_carried": s["directions_carried"],
    "pktmask_capture_flow_directions_forgotten_total": s["directions_forgotten"],
    "pktmask_capture_exit_code": s["exit_code"],
    "pktmask_capture_up": 0,
    "pktmask_capture_backlog_segments": 0,
    "pktmask_capture_backlog_limit_segments": 4,
}
for name, want in pairs.items():
    assert metric(name) == want, (name, metric(name), want)
assert metric("pktmask_capture_payload_bytes_total", "action=kept") == s["tcp_payload_bytes_kept"]
assert metric("pktmask_capture_payload_bytes_total", "action=masked") == s["tcp_payload_bytes_masked"]
assert s["segments_captured"] == 20 == s["segments_compressed"], s
assert not any("kernel" in name for name in m), "a replay has no kernel counters"
info = [name for name in m if name.startswith("pktmask_capture_info{")]
assert len(info) == 1 and "capture_id=" in info[0], info
# The sample's last packet, in capture time (capinfos -e: 1764057468.6...)
assert 1.7e9 < metric("pktmask_capture_last_packet_timestamp_seconds") < 1.8e9
assert metric("pktmask_capture_start_time_seconds") > 1.7e9
PY

# 2. During a run: a FIFO fed over about 5 s, the file read over and over,
# the endpoint asked twice.
port=$(free_port)
mkdir -p "$WORK/run"
mkfifo "$WORK/feed"
python3 - "$sample" "$WORK/feed" <<'PY' &
import sys, time
data = open(sys.argv[1], "rb").read()
with open(sys.argv[2], "wb") as out:
    step = len(data) // 50
    for i in range(0, len(data), step):
        out.write(data[i:i + step])
        out.flush()
        time.sleep(0.1)
PY
feeder=$!
"$PKTMASK" capture -r "$WORK/feed" -O "$WORK/run/out" --rotate-packets 100 --no-progress \
  --stats "$WORK/run/stats.json" --metrics-file "$WORK/run/pktmask.prom" --metrics-listen "127.0.0.1:$port" \
  2>"$WORK/run.stderr" &
pid=$!
check "during a run: the file is always complete, its counters never go back; the endpoint answers" \
  python3 - "$SRC/tests/e2e" "$WORK/run/pktmask.prom" "$port" "$pid" "$WORK/run" <<'PY'
import os, sys, time, urllib.error, urllib.request
sys.path.insert(0, sys.argv[1])
from prom_check import check
path, port, pid, work = sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
def running():
    try:
        os.kill(pid, 0)
        return os.path.exists(f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().split()[2] != "Z"
    except ProcessLookupError:
        return False
deadline = time.time() + 5
while not os.path.exists(path) and time.time() < deadline:
    time.sleep(0.01)
reads, texts, packets, answers = 0, set(), [], 0
while running():
    try:
        text = open(path).read()
    except FileNotFoundError:
        raise AssertionError("the file went away during the run")
    reads += 1
    texts.add(text)
    problems, samples = check(text, ["key"])
    assert not problems, (problems, text)
    assert text.rstrip("\n").split("\n")[-1].startswith("pktmask_capture_flow_directions_forgotten_total"), text
    packets.append(next(v for (n, _), v in samples.items() if n == "pktmask_capture_packets_total"))
    if answers < 2 and reads % 200 == 1:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as response:
            assert response.status == 200
            assert response.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8", response.headers
            body = response.read().decode()
        open(f"{work}/scrape{answers}.prom", "w").write(body)
        problems, samples = check(body, ["key"])
        assert not problems, problems
        assert any(n == "pktmask_capture_up" and v == 1 for (n, _), v in samples.items()), body
        answers += 1
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5)
            raise AssertionError("GET / answered")
        except urllib.error.HTTPError as e:
            assert e.code == 404, e.code
assert packets == sorted(packets), "packets_total went back"
assert answers == 2, f"the endpoint answered {answers} times"
assert len(texts) >= 3 and reads >= 100, f"{reads} reads saw {len(texts)} versions: not a test of rewriting"
print(f"{reads} reads of {len(texts)} versions, {answers} scrapes", file=sys.stderr)
PY
code=0
wait "$pid" || code=$?
kill "$feeder" 2>/dev/null || true
check "during a run: exit 0 ($(head -c 200 "$WORK/run.stderr"))" [ "$code" = 0 ]
check "during a run: promtool on a scrape (${have_promtool:-not installed})" promtool_ok "$WORK/run/scrape0.prom"
check "during a run: the last file has all the packets" python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
line = "pktmask_capture_packets_total{key=\"%s\"} %d\n" % (sys.argv[3], s["packets"])
assert line in open(sys.argv[2]).read() and s["packets"] == 1904, s' "$WORK/run/stats.json" "$WORK/run/pktmask.prom" "$WORK/run/out"
check "after the run: the endpoint is closed" python3 -c '
import socket, sys
try:
    socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2)
except ConnectionRefusedError:
    sys.exit(0)
sys.exit(1)' "$port"
# 3. Start failures.
start_fails() {  # start_fails CODE WHAT ARGS...: and nothing of OUT is left
  local want=$1 what=$2
  shift 2
  rm -rf "$WORK/start"
  mkdir -p "$WORK/start"
  expect_exit "$want" "start: $what" "$PKTMASK" capture --no-progress -O "$WORK/start/out" "$@"
  check "start: $what: no OUT left" [ ! -e "$WORK/start/out" ]
}
python3 -c '
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen()
print(s.getsockname()[1], flush=True)
time.sleep(60)' >"$WORK/held.port" &
holder=$!
for _ in $(seq 50); do [ -s "$WORK/held.port" ] && break; sleep 0.1; done
held=$(cat "$WORK/held.port")
start_fails 105 "port in use" -r "$sample" --metrics-listen "127.0.0.1:$held" --metrics-file "$WORK/start/m.prom"
check "port in use: says so" grep -q "127.0.0.1:$held: cannot listen: Address already in use" "$WORK/last.err"
check "port in use: no metrics file claims the capture is up" [ ! -e "$WORK/start/m.prom" ]
kill "$holder"
for bad in localhost:9464 127.0.0.1 127.0.0.1:70000 ::1:9464; do
  start_fails 100 "malformed --metrics-listen $bad" -r "$sample" --metrics-listen "$bad"
done
check "malformed address: says what is wanted" grep -q "want ADDRESS:PORT" "$WORK/last.err"
start_fails 100 "--metrics-file - (stdout)" -r "$sample" --metrics-file -
start_fails 105 "metrics file in a missing directory" -r "$sample" --metrics-file "$WORK/start/nosuch/m.prom"
start_fails 104 "missing replay file" -r "$WORK/nosuch.pcap" --metrics-file "$WORK/start/m.prom"
check "failed start: the file says up 0 and the code" python3 - "$WORK/start/m.prom" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
assert re.search(r'^pktmask_capture_up\{key="[^"]*"\} 0$', text, re.M), text
assert re.search(r'^pktmask_capture_exit_code\{key="[^"]*"\} 104$', text, re.M), text
PY
check "failed start: the file passes the checker" prom_check "$WORK/start/m.prom"

# 4. The systemd unit in docs/: systemd's own check, with this build's binary
# standing in for /usr/bin/pktmask.
if command -v systemd-analyze >/dev/null; then
  sed "s|/usr/bin/pktmask|$PKTMASK|" "$SRC/docs/pktmask-capture.service" >"$WORK/pktmask-capture.service"
  check "systemd-analyze verify docs/pktmask-capture.service" systemd-analyze verify "$WORK/pktmask-capture.service"
else
  echo "skip: no systemd-analyze"
fi

# 5. Live: the kernel's counters, on the loopback of a namespace of our own.
if [ "$(id -u)" = 0 ] && ip netns add "pktmask-metrics-$$" 2>/dev/null; then
  trap 'ip netns del "pktmask-metrics-$$" 2>/dev/null' EXIT
  ip netns exec "pktmask-metrics-$$" ip link set lo up
  mkdir -p "$WORK/live"
  ip netns exec "pktmask-metrics-$$" python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(40):
    s.sendto(b"x" * 100, ("127.0.0.1", 9))
    time.sleep(0.025)' &
  code=0
  ip netns exec "pktmask-metrics-$$" "$PKTMASK" capture -i lo -O "$WORK/live/out" --duration 2 --no-progress \
    --stats "$WORK/live/stats.json" --metrics-file "$WORK/live/pktmask.prom" 2>"$WORK/live.stderr" || code=$?
  check "live: exit 0 ($(head -c 200 "$WORK/live.stderr"))" [ "$code" = 0 ]
  check "live: the file passes the checker" prom_check "$WORK/live/pktmask.prom"
  check "live: the kernel's counters equal the summary's" python3 - "$WORK/live/pktmask.prom" "$WORK/live/stats.json" <<'PY'
import json, re, sys
text, s = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
def value(name):
    return int(re.search(rf"^{name}\{{[^}}]*\}} (\d+)$", text, re.M).group(1))
assert value("pktmask_capture_kernel_received_packets_total") == s["kernel_received"] >= 20, s
assert value("pktmask_capture_kernel_dropped_packets_total") == s["kernel_dropped"]
assert value("pktmask_capture_interface_dropped_packets_total") == s["interface_dropped"]
PY
  ip netns del "pktmask-metrics-$$"
  trap - EXIT
else
  echo "skip: the live check needs root (a network namespace)"
fi
finish

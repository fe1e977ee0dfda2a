#!/usr/bin/env bash
# pktmask capture on a live interface, in network namespaces this test creates
# (needs root, as CI is; skipped otherwise), with real TLS traffic (nginx +
# curl, openssl s_server/s_client) from tools/lib/netns-lab.sh:
#  1. SIGINT stops gracefully (exit 0, no raw segment left), and the
#     sanitized segments, merged, equal 'pktmask sanitize --engine native' of
#     what tcpdump saw on the same interface, packet for packet (in any
#     order: two sockets may order them differently); summary and
#     NDJSON events agree;
#  2. SIGTERM stops gracefully too, also on a silent link; a quiet link still
#     closes its segment on time (--rotate-seconds); two signals at once stop
#     at once (203);
#  3. a backlog over --max-backlog stops the capture with 205;
#  4. start failures (no such interface 102, no permission 101, bad filter
#     100) leave nothing.
# Every run leaves no raw segment (.pktmask-raw-*/raw-*) behind.
. "$(dirname "$0")/lib.sh"
if [ "$(id -u)" != 0 ]; then
  echo "skip: live capture in network namespaces needs root"
  finish
  exit 0
fi
# shellcheck source=../../tools/lib/netns-lab.sh
. "$SRC/tools/lib/netns-lab.sh"
lab_require ip ethtool openssl curl nginx tcpdump ss timeout tshark mergecap capinfos python3

# --- lab: namespaces pktmask-cap-{srv,cli}-PID, veth pmc{s,c}PID -------------------
set -e
lab_init cap pmc 198.18.4 fd00:1c capture-live
lab_make_tmp "$WORK/lab.XXXXXX"
lab_make_namespaces
LAB_PKI_ORG="pktmask capture test"
{
  lab_openssl_cnf_base
  lab_openssl_cnf_leaf v3_leaf serverAuth "DNS:$SNI, IP:$V4_S, IP:$V6_S"
} >"$PKI/openssl.cnf"
lab_make_small_pki "pktmask capture test root"
lab_nginx_content
lab_write_nginx_conf "$(lab_nginx_server 443 "$PKI/leaf-rsa.pem" "$PKI/leaf-rsa.key" http2)"
lab_start_nginx 150 443
lab_ossl_fifo_open
set +e
KEYS=$TMP/keys
URL=https://$SNI

# --- helpers -----------------------------------------------------------------------

# pm_start NAME OPTION...: pktmask capture -i IF_S in NS_S into $WORK/NAME
# (events NAME.events, summary NAME.stats.json, log NAME.log); waits until it
# captures. PM_WRAP is its lab_bg wrapper (timeout), PM_PID pktmask itself:
# signals go to PM_PID, as timeout would pass one signal on twice.
pm_start() {
  local name=$1
  shift
  OUT=$WORK/$name EV=$WORK/$name.events ST=$WORK/$name.stats.json
  lab_bg "$WORK/$name.log" 60 "$NS_S" "$PKTMASK" capture -i "$IF_S" -s 262144 -O "$OUT" \
    --name '{index}.{ext}' --events "$EV" --stats "$ST" --no-progress --compress none --disk-threshold 0 "$@"
  PM_WRAP=$BG_PID
  lab_wait_grep "$EV" '"event":"started"' >/dev/null 2>&1 || true
  PM_PID=$(ps -o pid= --ppid "$PM_WRAP" | tr -d ' ')
  [ "$(cat "/proc/$PM_PID/comm" 2>/dev/null)" = pktmask ] || fail "$name: pktmask did not start ($(head -c 300 "$WORK/$name.log"))"
}

# pm_wait [SECONDS]: wait (default 30 s) for pktmask to end; $code is its exit status.
pm_wait() {
  local i
  for ((i = 0; i < ${1:-30} * 10; i++)); do kill -0 "$PM_PID" 2>/dev/null || break; sleep 0.1; done
  code=0
  lab_bg_wait "$PM_WRAP" || code=$?
}

# stat_is FILE KEY VALUE: the summary's KEY equals VALUE.
stat_is() {
  local got
  got=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get(sys.argv[2]))' "$1" "$2")
  [ "$got" = "$3" ] || { echo "$1: $2 = $got, want $3" >&2; return 1; }
}

# events_ok FILE SEGMENTS LAST-EVENT [CODE]: every line a JSON object; started,
# raw_closed, file_ready, stored and LAST-EVENT events; one stored event per sanitized
# segment (SEGMENTS of them); the last line the manager's LAST-EVENT (with CODE).
events_ok() {
  python3 - "$@" <<'EOF'
import json, sys
path, segments, last_kind = sys.argv[1], int(sys.argv[2]), sys.argv[3]
code = int(sys.argv[4]) if len(sys.argv) > 4 else None
events = []
for number, line in enumerate(open(path), 1):
    try:
        event = json.loads(line)
    except ValueError as e:
        sys.exit(f"{path}:{number}: not JSON: {e}")
    if not isinstance(event, dict) or "event" not in event or "source" not in event:
        sys.exit(f"{path}:{number}: not an event object")
    events.append(event)
kinds = {e["event"] for e in events}
missing = {"started", "raw_closed", "file_ready", "stored", last_kind} - kinds
if missing:
    sys.exit(f"{path}: no {sorted(missing)} event")
stored = sum(e["event"] == "stored" for e in events)
if stored != segments:
    sys.exit(f"{path}: {stored} stored events for {segments} segments")
last = events[-1]
if last["source"] != "manager" or last["event"] != last_kind or (code is not None and last.get("error_code") != code):
    sys.exit(f"{path}: last event is {last}")
EOF
}

# --- 1. SIGINT: the segments equal the whole capture sanitized ----------------------

# Both see only TCP: the namespaces' own neighbour discovery and MLD reports
# come at any time, also between the two starts.
pm_start int --rotate-size 200k --max-backlog 64 -f tcp
lab_start_capture_on "$NS_S" "$IF_S" "$WORK/int.tcpdump.log" 60 "$WORK/int.tcpdump.pcap" \
  -s 262144 -B 16384 -U --immediate-mode tcp
TCPDUMP_PID=$CAP_PID
sleep 1
check "traffic: curl TLS 1.2 over IPv4" lab_curl tls12 "$KEYS" --tlsv1.2 --tls-max 1.2 --http1.1 \
  --resolve "$SNI:443:$V4_S" "$URL/index.html" "$URL/hello.txt"
check "traffic: curl TLS 1.3 HTTP/2 over IPv6" lab_curl tls13 "$KEYS" --tlsv1.3 --http2 \
  --resolve "$SNI:443:[$V6_S]" "$URL/index.html" "$URL/hello.txt"
check "traffic: curl TLS 1.3 2 MiB download" lab_curl dl "$KEYS" --tlsv1.3 --http1.1 \
  --resolve "$SNI:443:$V4_S" -o "$TMP/2mb.got" "$URL/2mb.bin"
check "traffic: download complete" cmp -s "$TMP/2mb.got" "$NGX/www/2mb.bin"
lab_ossl_server chat 4433 -tls1_2 -naccept 1 -cert "$PKI/leaf-ec.pem" -key "$PKI/leaf-ec.key"
lab_ossl_chat int | lab_ossl_client chat "$KEYS" -tls1_2
lab_bg_wait "$SRV_PID"
check "traffic: openssl s_client/s_server TLS 1.2" grep -q "1 server line one" "$TMP/logs/chat.client.log"
sleep 1
kill -INT "$PM_PID"
lab_bg_stop "$TCPDUMP_PID" INT
pm_wait
check "SIGINT: exit $code, want 0" [ "$code" = 0 ]
check "SIGINT: no raw segment left" no_raw "$OUT"
segs=("$OUT"/[0-9]*.*)
check "SIGINT: ${#segs[@]} segments, want more than 1" [ "${#segs[@]}" -gt 1 ]
mergecap -F pcap -a -w "$WORK/int.merged.pcap" "${segs[@]}"
check "SIGINT: sanitize tcpdump's capture" \
  "$PKTMASK" sanitize --engine native "$WORK/int.tcpdump.pcap" -o "$WORK/int.whole.pcap"
check "SIGINT: segments merged = tcpdump's capture sanitized" \
  python3 "$SRC/tests/e2e/same_packets.py" --any-order "$WORK/int.merged.pcap" "$WORK/int.whole.pcap"
tcpdump_packets=$(tshark -r "$WORK/int.tcpdump.pcap" -T fields -e frame.number 2>/dev/null | wc -l)
check "SIGINT: summary packets = tcpdump's" stat_is "$ST" packets "$tcpdump_packets"
check "SIGINT: no kernel drops" stat_is "$ST" kernel_dropped 0
check "SIGINT: all segments sanitized" stat_is "$ST" segments_sanitized "${#segs[@]}"
check "SIGINT: summary exit_code" stat_is "$ST" exit_code 0
check "SIGINT: events" events_ok "$EV" "${#segs[@]}" finished

# --- 2. SIGTERM: graceful too -------------------------------------------------------

pm_start term --rotate-size 200k --max-backlog 64
lab_curl term "$KEYS" --tlsv1.3 --http1.1 --resolve "$SNI:443:$V4_S" "$URL/index.html"
sleep 0.5
kill -TERM "$PM_PID"
pm_wait
check "SIGTERM: exit $code, want 0" [ "$code" = 0 ]
check "SIGTERM: no raw segment left" no_raw "$OUT"
segs=("$OUT"/[0-9]*.*)
check "SIGTERM: events" events_ok "$EV" "${#segs[@]}" finished

# --- 2b. a quiet link still closes its segment on time -----------------------------
# No next segment closes on a quiet link: the look-ahead's hold bounds the wait.

pm_start quiet --rotate-seconds 1 --hold-seconds 0.5
lab_curl quiet "$KEYS" --tlsv1.3 --http1.1 --resolve "$SNI:443:$V4_S" "$URL/hello.txt"
sleep 2.5
quiet_ready=$(grep -c '"event":"file_ready".*"source":"sanitizer"' "$EV")  # keys are sorted
kill -INT "$PM_PID"
pm_wait
check "quiet link: a segment sanitized while the link was silent ($quiet_ready)" [ "$quiet_ready" -ge 1 ]
check "quiet link: exit $code, want 0" [ "$code" = 0 ]

# --- 3. two signals while traffic flows: stop at once -------------------------------

pm_start twice --rotate-size 200k --max-backlog 64
lab_curl twice "$KEYS" --tlsv1.3 --http1.1 --limit-rate 2M --resolve "$SNI:443:$V4_S" \
  -o /dev/null "$URL/2mb.bin" &
dl=$!
sleep 0.6
kill -INT "$PM_PID"
kill -TERM "$PM_PID"
pm_wait
check "two signals: exit $code, want 203" [ "$code" = 203 ]
check "two signals: no raw segment left" no_raw "$OUT"
wait "$dl"

# --- 4. backlog over --max-backlog: exit 205 ---------------------------------------

# The segment held for the look-ahead counts: 2 is the smallest backlog it allows.
pm_start backlog --rotate-packets 1 --max-backlog 2
lab_curl backlog "$KEYS" --tlsv1.3 --http1.1 --resolve "$SNI:443:$V4_S" -o /dev/null "$URL/2mb.bin"
pm_wait 20
check "backlog: exit $code, want 205" [ "$code" = 205 ]
check "backlog: no raw segment left" no_raw "$OUT"
segs=("$OUT"/[0-9]*.*)
check "backlog: ${#segs[@]} segments, want some" [ "${#segs[@]}" -gt 0 ]
check "backlog: all segments sanitized" stat_is "$ST" segments_sanitized "${#segs[@]}"
check "backlog: every segment readable" capinfos -c "${segs[@]}" >/dev/null
mergecap -F pcap -a -w "$WORK/backlog.merged.pcap" "${segs[@]}"
check "backlog: merged segments readable by tshark" tshark -r "$WORK/backlog.merged.pcap" -q
check "backlog: events" events_ok "$EV" "${#segs[@]}" failed 205

# --- 5. start failures leave nothing ------------------------------------------------

expect_exit 102 "no such interface" timeout 20 ip netns exec "$NS_S" \
  "$PKTMASK" capture -i nosuchif0 -O "$WORK/nosuchif" --no-progress
check "no such interface: output dir not created" [ ! -e "$WORK/nosuchif" ]
expect_exit 100 "bad filter" timeout 20 ip netns exec "$NS_S" \
  "$PKTMASK" capture -i "$IF_S" -f 'not a (valid filter' -O "$WORK/badfilter" --no-progress
check "bad filter: no raw segment left" no_raw "$WORK/badfilter"
# An unprivileged user (nobody) may write the output directory but not capture.
NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)
if "${NOBODY[@]}" "$PKTMASK" --version >/dev/null 2>&1; then
  noperm=$(mktemp -d /tmp/pktmask-noperm.XXXXXX)
  chmod 777 "$noperm"
  expect_exit 101 "no permission to capture" timeout 20 ip netns exec "$NS_S" \
    "${NOBODY[@]}" "$PKTMASK" capture -i "$IF_S" -O "$noperm/out" --no-progress
  check "no permission: output dir rolled back" [ ! -e "$noperm/out" ]
  rm -rf "$noperm"
else
  echo "skip: user nobody cannot run $PKTMASK (its directory is private)"
fi

# Every event of the live runs (kernel counters included) matches its table
# in docs/capture.md (tests/e2e/capture_events.sh checks the replays).
check "events match docs/capture.md" python3 "$SRC/tests/e2e/check_events.py" "$SRC/docs/capture.md" "$WORK"/*.events

finish
